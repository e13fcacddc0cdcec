#!/usr/bin/env bash
# The floor of any binding on W2-png: bench/floor/w2-png.c calls libvips' C API directly (the same calls as
# sharp), built against the very library file the engine ships (taken out of bench.jar), and runs beside
# the engine and sharp, image by image, ROUNDS times. If plain C is not 0.9x sharp's time, no binding is.
# Needs gcc. Usage: [ROUNDS=3] [RUNS=31] [WARMUP=10] bench/floor.sh [testdata-dir]   (default ../shared/testdata)
set -euo pipefail
. "$(dirname "$0")/setup.sh"
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-31}
WARMUP=${WARMUP:-10}
lib=bench/target/floor
rm -rf "$lib" && mkdir -p "$lib"
(cd "$lib" && unzip -q -j ../bench.jar "natives/linux-$(uname -m)/*")
gcc -O2 -o "$lib/w2-png" bench/floor/w2-png.c -L"$lib" -l:libvips-cpp.so.8.18.7 -Wl,-rpath,"$PWD/$lib"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
for round in $(seq "$ROUNDS"); do
  c_sum=0 j_sum=0 s_sum=0
  for image in png-rgba-dice-800x600.png png-rgba-panorama-2048x512.png png-palette-2048x2253.png; do
    c=$("$lib/w2-png" "$DATA/$image" "$WARMUP" "$RUNS")
    j=$(java "${JAVA_OPTS[@]}" -jar bench/target/bench.jar \
        --engine native --warmup "$WARMUP" --runs "$RUNS" W2_PNG "$DATA/$image" 2>/dev/null | tail -1)
    s=$(node bench/sharp/bench.js W2_PNG "$DATA/$image" --warmup="$WARMUP" --runs="$RUNS" | tail -1)
    printf '  round %s %s c_ms=%s java_ms=%s sharp_ms=%s c_bytes=%s java_bytes=%s sharp_bytes=%s\n' "$round" "$image" \
      "$(field c_ms "$c")" "$(field java_ms "$j")" "$(field sharp_ms "$s")" "$(field bytes "$c")" "$(field bytes "$j")" "$(field bytes "$s")"
    c_sum=$(awk -v a="$c_sum" -v b="$(field c_ms "$c")" 'BEGIN{print a+b}')
    j_sum=$(awk -v a="$j_sum" -v b="$(field java_ms "$j")" 'BEGIN{print a+b}')
    s_sum=$(awk -v a="$s_sum" -v b="$(field sharp_ms "$s")" 'BEGIN{print a+b}')
  done
  awk -v c="$c_sum" -v j="$j_sum" -v s="$s_sum" -v r="$round" \
    'BEGIN{printf "W2-png round %s: c_ms=%.1f java_ms=%.1f sharp_ms=%.1f c/sharp=%.2f java/sharp=%.2f java/c=%.2f\n", r, c, j, s, c/s, j/s, j/c}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
