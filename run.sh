#!/usr/bin/env bash
# Starts the whole system locally: ./run.sh [--port 8080] [--data ./data]
# (builds local-edge.jar first when it is missing or older than the sources)
set -euo pipefail
cd "$(dirname "$0")"
. ./jdk.sh
. ./local-aws.sh
jar=local-edge/target/local-edge.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./data -prune -o -name '*.java' -newer "$jar" -print -quit)" ] \
   || [ -n "$(find . -path ./data -prune -o -name pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -q -ntp -pl local-edge -am package -DskipTests
fi
exec java -Dai.djl.offline=true -Daws.disableEc2Metadata=true -jar "$jar" "$@"
