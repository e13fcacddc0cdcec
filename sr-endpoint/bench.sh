#!/usr/bin/env bash
# Runs the sr-endpoint bench (quality and/or speed) from the repository root: bench.sh [quality|speed|all] [crop]
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export OPT_OUT_TRACKING=true ORT_DISABLE_TELEMETRY=1
mvn -B -q -o -pl sr-endpoint -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
# The class path goes through an @argfile: ONNX Runtime 1.29's native start-up segfaults when the process
# command line is longer than about 4 KB (measured here; a long -cp is enough).
echo "-cp sr-endpoint/target/classes:sr-endpoint/target/test-classes:$(cat sr-endpoint/target/bench.classpath)" \
  > sr-endpoint/target/bench.args
exec "$JAVA_HOME/bin/java" -Xmx4g -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \
  -Dai.djl.offline=true -Dlogback.configurationFile=sr-endpoint-logback.xml \
  @sr-endpoint/target/bench.args io.imagescaler.sr.bench.SrBench "$@"
