"""Rotates the HMAC key that signs upload webhooks (X-ImageScaler-Signature).

The secret is the key itself, a plain string. Secrets Manager calls this function four times:

  createSecret  AWSPENDING = a new random key (48 letters and digits, as the stack first generated it)
  setSecret     nothing to push: the handler reads the key from Secrets Manager when it starts, and receivers
                fetch it from there too
  testSecret    the pending key is well formed (length and alphabet)
  finishSecret  AWSCURRENT moves to the pending version; the old one becomes AWSPREVIOUS

A handler that started before the rotation signs with the old key until its execution environment is recycled
(hours), so receivers verify against AWSCURRENT and, failing that, AWSPREVIOUS (cdk/README.md, Webhooks).
"""
import boto3

sm = boto3.client("secretsmanager")
LENGTH = 48


def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = sm.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    if token not in stages:
        raise ValueError("version %s is not staged for rotation" % token)
    if "AWSCURRENT" in stages[token]:
        return
    if step == "createSecret":
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            key = sm.get_random_password(PasswordLength=LENGTH, ExcludePunctuation=True)["RandomPassword"]
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=key,
                                VersionStages=["AWSPENDING"])
    elif step == "setSecret":
        pass
    elif step == "testSecret":
        key = sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"]
        if len(key) != LENGTH or not key.isalnum():
            raise ValueError("the pending webhook key is malformed")
        current = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
        if key == current:
            raise ValueError("the pending webhook key equals the current one")
    elif step == "finishSecret":
        old = next(v for v, s in stages.items() if "AWSCURRENT" in s)
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=old)
    else:
        raise ValueError("unknown step " + step)
