#!/usr/bin/env bash
# The jobs' figures (local-edge/src/test/java/io/imagescaler/edge/JobsBench.java): the latency of an SR x4 job of
# a 1 MP photo on the local CPU model, and how many jobs per minute the local edge's two workers sustain.
# Usage: bench/jobs.sh [photo (default ../shared/testdata/images/jpeg-12mp-galaxys7.jpg)] [runs=3] [jobs=40]
set -euo pipefail
cd "$(dirname "$0")/.."
. ./jdk.sh
. ./local-aws.sh
photo="${1:-../shared/testdata/images/jpeg-12mp-galaxys7.jpg}"
[ -f "$photo" ] || { echo "no photo at $photo"; exit 2; }
mvn -B -q -ntp -pl local-edge -am package -DskipTests
uptime
java -Dai.djl.offline=true -Daws.disableEc2Metadata=true --enable-native-access=ALL-UNNAMED \
  -cp local-edge/target/test-classes:local-edge/target/local-edge.jar io.imagescaler.edge.JobsBench "$photo" "${2:-3}" "${3:-40}"
uptime
