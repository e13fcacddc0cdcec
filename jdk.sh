# Sourced by run.sh, test.sh and .ci/run: picks a JDK 25 when the default java is older, and keeps
# every process of ours on loopback (no SDK or DJL call to the EC2 metadata address or home, no ONNX
# Runtime telemetry).
if ! java -version 2>&1 | grep -q 'version "2[5-9]'; then
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -n "$candidate" ] && "$candidate/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
      export JAVA_HOME="$candidate" PATH="$candidate/bin:$PATH"
      break
    fi
  done
fi
export AWS_EC2_METADATA_DISABLED=true OPT_OUT_TRACKING=true ORT_DISABLE_TELEMETRY=1
