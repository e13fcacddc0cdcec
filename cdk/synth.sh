#!/usr/bin/env bash
# CI check: `cdk synth` of the real app (through the CDK CLI), then cfn-lint on the template when installed.
# Needs no AWS account. Uses the built handler jar when present, else a labelled placeholder asset.
set -euo pipefail
cd "$(dirname "$0")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export CDK_DISABLE_VERSION_CHECK=true AWS_EC2_METADATA_DISABLED=true

args=(-c account=123456789012)
if [[ ! -f ../image-handler/target/image-handler-lambda.jar ]]; then
  mkdir -p target/placeholder-handler-asset
  echo "PLACEHOLDER for cdk synth only - not the image-handler Lambda." > target/placeholder-handler-asset/PLACEHOLDER.txt
  args+=(-c "handlerAsset=$PWD/target/placeholder-handler-asset")
fi
if [[ ! -f ../waf-rules/src/main/resources/waf/regional-acl.json ]]; then
  args+=(-c "wafRulesDir=$PWD/src/test/resources/waf")
fi
npx -y aws-cdk@2 synth --no-notices "${args[@]}" "$@" > target/ImageScaler.template.yaml
echo "synthesized: target/cdk.out/ImageScaler.template.json"
if command -v cfn-lint > /dev/null; then
  # W3005: CDK adds DependsOn next to GetAtt on its own resources
  cfn-lint --ignore-checks W3005 -- target/cdk.out/ImageScaler.template.json && echo "cfn-lint: clean"
fi
