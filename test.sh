#!/usr/bin/env bash
# Runs every test of every module: ./test.sh   (the README's test command; .ci/run runs exactly this)
set -euo pipefail
cd "$(dirname "$0")"
. ./jdk.sh
. ./local-aws.sh
exec mvn -B -ntp verify "$@"
