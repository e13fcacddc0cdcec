"""The webhook-key rotation Lambda against moto's Secrets Manager served on 127.0.0.1 (the service's wire
protocol; no AWS account). Run by OriginVerifyRotationTest (JUnit) as
    python3 -m unittest test_webhook_secret_rotation
with ROTATION_CODE (the Lambda's directory) set.
"""
import importlib
import os
import socket
import sys
import unittest
import uuid


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookSecretRotationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from moto.server import ThreadedMotoServer
        port = free_port()
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        cls.server.start()
        os.environ.update({
            "AWS_ENDPOINT_URL": "http://127.0.0.1:%d" % port,
            "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local-secret",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
        })
        import boto3
        cls.sm = boto3.client("secretsmanager")
        sys.path.insert(0, os.environ["ROTATION_CODE"])
        cls.rotation = importlib.import_module("webhook_secret_rotation")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def rotate(self, arn, token):
        """The four calls Secrets Manager makes. Before createSecret, RotateSecret has staged the new version id
        as AWSPENDING without a value, which moto's API cannot express: describe_secret answers it for that call."""
        real = self.rotation.sm.describe_secret

        def staged(**kwargs):
            answer = real(**kwargs)
            answer.setdefault("VersionIdsToStages", {}).setdefault(token, ["AWSPENDING"])
            return answer

        self.rotation.sm.describe_secret = staged
        try:
            self.rotation.handler({"SecretId": arn, "ClientRequestToken": token, "Step": "createSecret"}, None)
        finally:
            self.rotation.sm.describe_secret = real
        for step in ("setSecret", "testSecret", "finishSecret"):
            self.rotation.handler({"SecretId": arn, "ClientRequestToken": token, "Step": step}, None)

    def test_a_rotation_makes_a_new_current_key_and_keeps_the_old_one_as_previous(self):
        initial = "A" * 48
        arn = self.sm.create_secret(Name="wh-" + uuid.uuid4().hex, SecretString=initial)["ARN"]
        token = str(uuid.uuid4())
        self.rotate(arn, token)
        current = self.sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        previous = self.sm.get_secret_value(SecretId=arn, VersionStage="AWSPREVIOUS")
        self.assertEqual(token, current["VersionId"])
        self.assertNotEqual(initial, current["SecretString"])
        self.assertEqual(48, len(current["SecretString"]))
        self.assertTrue(current["SecretString"].isalnum())
        self.assertEqual(initial, previous["SecretString"])
        # a second rotation: a different key again, the first rotated one becomes previous
        second = str(uuid.uuid4())
        self.rotate(arn, second)
        self.assertNotEqual(current["SecretString"], self.sm.get_secret_value(SecretId=arn)["SecretString"])
        self.assertEqual(current["SecretString"],
                         self.sm.get_secret_value(SecretId=arn, VersionStage="AWSPREVIOUS")["SecretString"])

    def test_a_malformed_pending_key_fails_the_test_step(self):
        arn = self.sm.create_secret(Name="wh-" + uuid.uuid4().hex, SecretString="B" * 48)["ARN"]
        token = str(uuid.uuid4())
        self.sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString="short",
                                 VersionStages=["AWSPENDING"])
        with self.assertRaises(ValueError):
            self.rotation.handler({"SecretId": arn, "ClientRequestToken": token, "Step": "testSecret"}, None)
        self.assertEqual("B" * 48, self.sm.get_secret_value(SecretId=arn)["SecretString"])


if __name__ == "__main__":
    unittest.main()
