# Sourced by bench/run.sh and bench/floor.sh (with their arguments): the repository root as the working
# directory, JDK 25, the test images ($DATA, from the first argument), bench.jar and sharp built if missing,
# and the JVM and libvips settings both benches measure under.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. ./jdk.sh
DATA="${1:-../shared/testdata}/images"
[ -d "$DATA" ] || { echo "no test images at $DATA (pass the testdata dir)"; exit 2; }
[ -f bench/target/bench.jar ] || mvn -B -q -ntp -pl bench -am package -DskipTests
[ -d bench/sharp/node_modules/sharp ] || (cd bench/sharp && npm ci --no-audit --no-fund >/dev/null)
# The JVM as the image-handler function runs it: Lambda's java25 JVM sizes its heap from the function's
# memory (1769 MB by default: -XX:MaxRAM makes this JVM do the same on a bigger machine, initial heap 1/64,
# maximum 1/4), uses the serial collector, and with SnapStart keeps the full tiered JIT.
JAVA_OPTS=(-XX:+UseSerialGC -XX:MaxRAM=1769m --enable-native-access=ALL-UNNAMED)
# One libvips worker thread on every side (sharp: concurrency(1) in bench/sharp/bench.js).
export VIPS_CONCURRENCY=1

field() { # name line: the number after "name=" in the line
  sed -E "s/.*$1=([0-9.]+).*/\\1/" <<<"$2"
}
