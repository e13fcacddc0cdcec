"""The origin-verify rotation Lambda against moto's Secrets Manager, WAFv2 and CloudFront, served on
127.0.0.1 (the services' wire protocols; no AWS account). Run by OriginVerifyRotationTest (JUnit) as
    python3 -m unittest test_origin_verify_rotation
with WAF_RULES (the regional-acl.json the app deploys) and ROTATION_CODE (the Lambda's directory) set.
"""
import importlib
import json
import os
import socket
import sys
import unittest
import uuid

HEADER = "X-Origin-Verify"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OriginVerifyRotationTest(unittest.TestCase):
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
        cls.waf = boto3.client("wafv2")
        cls.cf = boto3.client("cloudfront")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.secret = self.sm.create_secret(Name="ov-" + uuid.uuid4().hex,
                                            SecretString=json.dumps({"current": "initial"}))["ARN"]
        with open(os.environ["WAF_RULES"]) as f:
            template = f.read()
        # what CloudFormation deploys: both placeholders resolved from "current"
        rules = json.loads(template.replace("{{ORIGIN_VERIFY_CURRENT}}", "initial")
                           .replace("{{ORIGIN_VERIFY_PREVIOUS}}", "initial"))
        acl = self.waf.create_web_acl(
            Name="regional-" + uuid.uuid4().hex[:8], Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=rules,
            VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "r"})["Summary"]
        self.slots = self.slot_order(template)
        api_origin = lambda oid, path: {
            "Id": oid, "DomainName": "abc123.execute-api.us-east-1.amazonaws.com", "OriginPath": path,
            "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": HEADER, "HeaderValue": "initial"}]},
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}
        dist = self.cf.create_distribution(DistributionConfig={
            "CallerReference": uuid.uuid4().hex, "Comment": "image-scaler", "Enabled": True,
            "Origins": {"Quantity": 3, "Items": [
                api_origin("api", "/prod"), api_origin("api-variants", "/prod/v1/images"),
                {"Id": "generated", "DomainName": "generated.s3.us-east-1.amazonaws.com",
                 "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "api", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}})["Distribution"]
        os.environ.update({"HEADER_NAME": HEADER, "SLOT_ORDER": ",".join(self.slots),
                           "WEB_ACL_NAME": acl["Name"], "WEB_ACL_ID": acl["Id"], "DISTRIBUTION_ID": dist["Id"]})
        sys.path.insert(0, os.environ["ROTATION_CODE"])
        self.rotation = importlib.reload(importlib.import_module("origin_verify_rotation"))

    @staticmethod
    def slot_order(template):
        """Same rule as WafRuleSet.originVerifySlots: header byte matches in document order."""
        slots = []

        def walk(node):
            if isinstance(node, dict):
                match = node.get("ByteMatchStatement")
                if match and match["FieldToMatch"].get("SingleHeader", {}).get("Name", "").lower() == HEADER.lower():
                    s = match["SearchString"]
                    slots.append("current" if "CURRENT" in s else "previous")
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(json.loads(template))
        return slots

    def rotate(self):
        """What Secrets Manager does: stage a token, then call the four steps in order."""
        token = str(uuid.uuid4())
        self.rotation.create(self.secret, token)
        for step in ("setSecret", "testSecret", "finishSecret"):
            self.rotation.handler({"SecretId": self.secret, "ClientRequestToken": token, "Step": step}, None)
        # Secrets Manager clears AWSPENDING once finishSecret has moved AWSCURRENT
        self.sm.update_secret_version_stage(SecretId=self.secret, VersionStage="AWSPENDING", RemoveFromVersionId=token)
        return self.current()

    def current(self):
        return json.loads(self.sm.get_secret_value(SecretId=self.secret, VersionStage="AWSCURRENT")["SecretString"])

    def acl_values(self):
        acl = self.waf.get_web_acl(Name=os.environ["WEB_ACL_NAME"], Scope="REGIONAL", Id=os.environ["WEB_ACL_ID"])
        return [m["SearchString"].decode() for m in self.rotation.header_matches(acl["WebACL"]["Rules"])]

    def origin_values(self):
        config = self.cf.get_distribution_config(Id=os.environ["DISTRIBUTION_ID"])["DistributionConfig"]
        return [h["HeaderValue"] for h in self.rotation.origin_headers(config)]

    def test_first_rotation_accepts_new_and_old_and_switches_cloudfront_to_new(self):
        self.assertEqual(["initial", "initial"], self.acl_values())
        current = self.rotate()
        self.assertNotEqual("initial", current["current"])
        self.assertEqual("initial", current["previous"])
        expected = [current["current"] if s == "current" else "initial" for s in self.slots]
        self.assertEqual(expected, self.acl_values())
        self.assertEqual([current["current"]] * 2, self.origin_values())

    def test_second_rotation_drops_the_value_before_previous(self):
        first = self.rotate()
        second = self.rotate()
        self.assertEqual(first["current"], second["previous"])
        values = self.acl_values()
        self.assertIn(second["current"], values)
        self.assertIn(first["current"], values)
        self.assertNotIn("initial", values)
        self.assertEqual([second["current"]] * 2, self.origin_values())

    def test_test_step_refuses_an_acl_that_does_not_accept_both_values(self):
        token = str(uuid.uuid4())
        self.rotation.create(self.secret, token)
        # the WAF was never updated (setSecret skipped): CloudFront must not be trusted to switch
        with self.assertRaises(RuntimeError):
            self.rotation.handler({"SecretId": self.secret, "ClientRequestToken": token, "Step": "testSecret"}, None)
        self.assertEqual("initial", self.current()["current"])

    def test_create_is_idempotent(self):
        token = str(uuid.uuid4())
        self.rotation.create(self.secret, token)
        pending = self.sm.get_secret_value(SecretId=self.secret, VersionId=token)["SecretString"]
        self.rotation.create(self.secret, token)
        self.assertEqual(pending, self.sm.get_secret_value(SecretId=self.secret, VersionId=token)["SecretString"])


if __name__ == "__main__":
    unittest.main()
