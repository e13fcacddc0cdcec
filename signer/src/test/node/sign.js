// Reads one JSON request on stdin, signs with @aws-sdk/cloudfront-signer, writes one JSON answer on stdout.
// Request: { mode: "url" | "cookies", url, keyPairId, privateKeyFile, dateLessThan (epoch s),
//            dateGreaterThan?, ipAddress?, policy? (JSON string: custom policy as given), algorithm? }
const fs = require("node:fs");
const { getSignedUrl, getSignedCookies } = require("@aws-sdk/cloudfront-signer");

const req = JSON.parse(fs.readFileSync(0, "utf8"));
const args = {
  url: req.url,
  keyPairId: req.keyPairId,
  privateKey: fs.readFileSync(req.privateKeyFile, "utf8"),
};
if (req.policy) {
  args.policy = req.policy;
} else {
  args.dateLessThan = new Date(req.dateLessThan * 1000).toISOString();
  if (req.dateGreaterThan) args.dateGreaterThan = new Date(req.dateGreaterThan * 1000).toISOString();
  if (req.ipAddress) args.ipAddress = req.ipAddress;
}
if (req.algorithm) args.algorithm = req.algorithm;

const out = req.mode === "cookies" ? { cookies: getSignedCookies(args) } : { url: getSignedUrl(args) };
process.stdout.write(JSON.stringify(out));
