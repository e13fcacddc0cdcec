#!/usr/bin/env bash
# Runs every test of every module (the README's test command).
set -euo pipefail
cd "$(dirname "$0")"
export AWS_EC2_METADATA_DISABLED=true OPT_OUT_TRACKING=true
exec mvn -B -ntp verify "$@"
