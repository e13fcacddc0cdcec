"""Rotates the X-Origin-Verify secret shared by CloudFront and the regional WAF, without a 403 window.

The secret is JSON {"current": ..., "previous": ...}. Secrets Manager calls this function four times:

  createSecret  AWSPENDING = {"current": <new random>, "previous": <old current>}
  setSecret     1. the regional web ACL's X-Origin-Verify byte matches get the pending values: the
                   "current" slots the new value, the "previous" slots the old one -> both pass;
                2. the distribution's origin custom header becomes the new value. CloudFront takes
                   minutes to reach every edge; until then edges still send the old value, which the
                   ACL keeps accepting through its "previous" slot.
  testSecret    the ACL accepts both values and every origin header carries the new one
  finishSecret  AWSCURRENT moves to the pending version

The old value stays accepted until the next rotation moves it out of the "previous" slot.
SLOT_ORDER lists, in document order, which value each X-Origin-Verify byte match holds (the cdk app
derives it from waf-rules/src/main/resources/waf/regional-acl.json).
"""
import json
import os
import secrets

import boto3

sm = boto3.client("secretsmanager")
waf = boto3.client("wafv2")
cloudfront = boto3.client("cloudfront")

HEADER = os.environ["HEADER_NAME"].lower()
SLOTS = os.environ["SLOT_ORDER"].split(",")
ACL = dict(Name=os.environ["WEB_ACL_NAME"], Id=os.environ["WEB_ACL_ID"], Scope="REGIONAL")
DISTRIBUTION_ID = os.environ["DISTRIBUTION_ID"]
UPDATE_KEYS = ("DefaultAction", "Rules", "VisibilityConfig", "Description", "CustomResponseBodies",
               "CaptchaConfig", "ChallengeConfig", "TokenDomains", "AssociationConfig",
               "DataProtectionConfig")


def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = sm.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    if token not in stages:
        raise ValueError("version %s is not staged for rotation" % token)
    if "AWSCURRENT" in stages[token]:
        return
    if step == "createSecret":
        create(arn, token)
    elif step == "setSecret":
        pending = read(arn, token)
        update_web_acl(pending)
        update_distribution(pending["current"])
    elif step == "testSecret":
        check(read(arn, token))
    elif step == "finishSecret":
        old = next(v for v, s in stages.items() if "AWSCURRENT" in s)
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=old)
    else:
        raise ValueError("unknown step " + step)


def read(arn, token):
    return json.loads(sm.get_secret_value(SecretId=arn, VersionId=token,
                                          VersionStage="AWSPENDING")["SecretString"])


def create(arn, token):
    try:
        read(arn, token)
        return
    except sm.exceptions.ResourceNotFoundException:
        pass
    current = json.loads(sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
    pending = {"current": secrets.token_urlsafe(36), "previous": current["current"]}
    sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                        SecretString=json.dumps(pending), VersionStages=["AWSPENDING"])


def header_matches(node):
    """X-Origin-Verify ByteMatchStatements in document order."""
    if isinstance(node, dict):
        match = node.get("ByteMatchStatement")
        if match and match.get("FieldToMatch", {}).get("SingleHeader", {}).get("Name", "").lower() == HEADER:
            yield match
        for value in node.values():
            yield from header_matches(value)
    elif isinstance(node, list):
        for value in node:
            yield from header_matches(value)


def update_web_acl(pending):
    response = waf.get_web_acl(**ACL)
    acl = response["WebACL"]
    matches = list(header_matches(acl["Rules"]))
    if len(matches) != len(SLOTS):
        raise RuntimeError("web ACL has %d %s matches, expected %d" % (len(matches), HEADER, len(SLOTS)))
    for match, slot in zip(matches, SLOTS):
        match["SearchString"] = pending[slot].encode()
    # re-submit what the ACL has (UpdateWebACL replaces it all); empty optional fields are left out,
    # since the API rejects e.g. an empty Description that GetWebACL may hand back
    keep = {k: acl[k] for k in UPDATE_KEYS if k == "Rules" or acl.get(k) not in (None, "", [], {})}
    waf.update_web_acl(LockToken=response["LockToken"], **ACL, **keep)


def origin_headers(config):
    for origin in config["Origins"]["Items"]:
        for header in origin.get("CustomHeaders", {}).get("Items", []):
            if header["HeaderName"].lower() == HEADER:
                yield header


def update_distribution(value):
    response = cloudfront.get_distribution_config(Id=DISTRIBUTION_ID)
    config = response["DistributionConfig"]
    for header in origin_headers(config):
        header["HeaderValue"] = value
    cloudfront.update_distribution(Id=DISTRIBUTION_ID, IfMatch=response["ETag"], DistributionConfig=config)


def check(pending):
    accepted = {m["SearchString"].decode() if isinstance(m["SearchString"], bytes) else m["SearchString"]
                for m in header_matches(waf.get_web_acl(**ACL)["WebACL"]["Rules"])}
    if not {pending["current"], pending["previous"]} <= accepted:
        raise RuntimeError("the web ACL does not accept both the new and the previous value")
    config = cloudfront.get_distribution_config(Id=DISTRIBUTION_ID)["DistributionConfig"]
    values = [h["HeaderValue"] for h in origin_headers(config)]
    if not values or any(v != pending["current"] for v in values):
        raise RuntimeError("not every API Gateway origin sends the new value")
