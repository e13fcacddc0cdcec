#!/usr/bin/env bash
# The engine bench: each workload of issue 3 in the engine (one JVM per workload, one thread) and in
# sharp (one node process per workload, concurrency 1, cache off), on the same files, same machine,
# same run. Prints one line per workload:
#   W1-jpeg java_ms=… sharp_ms=… ratio=… java_rss_mb=… sharp_rss_mb=… cpu_ratio=… [exact_ratio=…]
# ratio compares median wall times; cpu_ratio compares median process CPU times per image, which a
# busy machine disturbs much less (both runtimes' own GC and JIT threads included). For the JPEG
# workloads a second sharp run with fastShrinkOnLoad off (it then decodes at the same scale as the
# engine) is printed as exact_ratio; sharp's default decodes JPEGs at up to 2x smaller scale.
# With ENGINES="native java", a second line per workload for the pure-Java fallback engine
# (W1-jpeg-java ...), against the same sharp figures.
# Usage: [ENGINES="native java"] bench/run.sh [testdata-dir]
#   (default ../shared/testdata; needs node + npm for sharp)
set -euo pipefail
cd "$(dirname "$0")/.."
. ./jdk.sh
DATA="${1:-../shared/testdata}/images"
[ -d "$DATA" ] || { echo "no test images at $DATA (pass the testdata dir)"; exit 2; }
[ -f bench/target/bench.jar ] || mvn -B -q -ntp -pl bench -am package -DskipTests
[ -d bench/sharp/node_modules/sharp ] || (cd bench/sharp && npm ci --no-audit --no-fund >/dev/null)
JAVA_OPTS=(-XX:+UseSerialGC -Xmx512m -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp --enable-native-access=ALL-UNNAMED)

photos=("$DATA/jpeg-12mp-galaxys7.jpg" "$DATA/jpeg-12mp-nikond90.jpg" "$DATA/jpeg-22mp-canon5d3-srgb-icc.jpg")
pngs=("$DATA/png-rgba-dice-800x600.png" "$DATA/png-rgba-panorama-2048x512.png")
w3=("$DATA/jpeg-12mp-galaxys7.jpg")

ENGINES=(${ENGINES:-native})

field() { # name line
  sed -E "s/.*$1=([0-9.]+).*/\\1/" <<<"$2"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'
}

run() { # label workload files...
  local label=$1 workload=$2; shift 2
  local j s x="" engine
  s=$(node bench/sharp/bench.js "$workload" "$@" | tail -1)
  if [[ $workload == W1_* || $workload == W3 ]]; then
    x=$(node bench/sharp/bench.js "$workload" "$@" --exact-shrink | tail -1)
  fi
  for engine in "${ENGINES[@]}"; do
    j=$(java "${JAVA_OPTS[@]}" -jar bench/target/bench.jar --engine "$engine" "$workload" "$@" 2>/dev/null | tail -1)
    printf '%s java_ms=%s sharp_ms=%s ratio=%s java_rss_mb=%s sharp_rss_mb=%s cpu_ratio=%s%s\n' \
      "$label$([ "$engine" = native ] || echo "-$engine")" "$(field java_ms "$j")" "$(field sharp_ms "$s")" \
      "$(ratio "$(field java_ms "$j")" "$(field sharp_ms "$s")")" \
      "$(field java_rss_mb "$j")" "$(field sharp_rss_mb "$s")" \
      "$(ratio "$(field java_cpu_ms "$j")" "$(field sharp_cpu_ms "$s")")" \
      "$([ -z "$x" ] || echo " exact_ratio=$(ratio "$(field java_ms "$j")" "$(field sharp_ms "$x")")")"
  done
}

run W1-jpeg W1_JPEG "${photos[@]}"
run W1-webp W1_WEBP "${photos[@]}"
run W2-png W2_PNG "${pngs[@]}"
run W2-webp W2_WEBP "${pngs[@]}"
run W3 W3 "${w3[@]}"
