#!/usr/bin/env bash
# The engine bench: every workload in the engine (libvips through FFM, one JVM per image, one libvips
# thread) and in sharp (one node process per image, concurrency 1, cache off), on the same files, same
# machine, same run, interleaved image by image (engine, sharp, next image ...) so that a neighbour's
# load hits both alike. Prints one line per workload:
#   W1-jpeg java_ms=… sharp_ms=… ratio=… java_rss_mb=… sharp_rss_mb=… rss_ratio=… cpu_ratio=…
# java_ms and sharp_ms add up the per-image medians (ms per pass over the set); ratio compares them;
# cpu_ratio compares the summed median process-CPU times (both runtimes' GC/JIT threads included), which
# a busy machine disturbs much less; RSS is the largest peak over the set's processes.
# The machine's load average is printed before and after: re-take figures taken above ~0.5 per core.
# With ENGINES="native java", a second line per workload for the pure-Java fallback engine. VERBOSE=1 adds a
# line per image with both sides' output size in bytes: equal sizes are the sign that the same pixels went through
# the same encoder settings, i.e. that both did the same work.
# Usage: [ENGINES="native java"] [RUNS=11] [WARMUP=5] [VERBOSE=1] bench/run.sh [testdata-dir]   (default ../shared/testdata)
set -euo pipefail
. "$(dirname "$0")/setup.sh"
RUNS=${RUNS:-11}
WARMUP=${WARMUP:-5}

# W1/W3/W4: six photos, the hard cases included: progressive, EXIF-rotated (6), CMYK with a profile,
# an embedded sRGB profile, two plain 12 MP phone/DSLR JPEGs.
photos=("$DATA/jpeg-12mp-galaxys7.jpg" "$DATA/jpeg-12mp-nikond90.jpg" "$DATA/jpeg-22mp-canon5d3-srgb-icc.jpg"
        "$DATA/jpeg-5mp-progressive-cerkiew.jpg" "$DATA/jpeg-10mp-canon1000d-orient6.jpg"
        "$DATA/jpeg-cmyk-swop-icc-channel.jpg")
# W2: alpha PNGs and a palette PNG
pngs=("$DATA/png-rgba-dice-800x600.png" "$DATA/png-rgba-panorama-2048x512.png" "$DATA/png-palette-2048x2253.png")

ENGINES=(${ENGINES:-native})

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); sharp $(node -p "require('./bench/sharp/node_modules/sharp').versions.sharp") libvips $(node -p "require('./bench/sharp/node_modules/sharp').versions.vips")"

run() { # label workload files...
  local label=$1 workload=$2; shift 2
  local engine
  for engine in "${ENGINES[@]}"; do
    local jms=0 sms=0 jcpu=0 scpu=0 jrss=0 srss=0 j s image
    for image in "$@"; do
      j=$(java "${JAVA_OPTS[@]}" -jar bench/target/bench.jar --engine "$engine" --warmup "$WARMUP" --runs "$RUNS" "$workload" "$image" 2>/dev/null | tail -1)
      s=$(node bench/sharp/bench.js "$workload" "$image" --warmup="$WARMUP" --runs="$RUNS" | tail -1)
      jms=$(awk -v a="$jms" -v b="$(field java_ms "$j")" 'BEGIN{print a+b}')
      sms=$(awk -v a="$sms" -v b="$(field sharp_ms "$s")" 'BEGIN{print a+b}')
      jcpu=$(awk -v a="$jcpu" -v b="$(field java_cpu_ms "$j")" 'BEGIN{print a+b}')
      scpu=$(awk -v a="$scpu" -v b="$(field sharp_cpu_ms "$s")" 'BEGIN{print a+b}')
      jrss=$(awk -v a="$jrss" -v b="$(field java_rss_mb "$j")" 'BEGIN{print (b>a)?b:a}')
      srss=$(awk -v a="$srss" -v b="$(field sharp_rss_mb "$s")" 'BEGIN{print (b>a)?b:a}')
      [ -n "${VERBOSE:-}" ] && printf '  %s %s java_ms=%s sharp_ms=%s java_bytes=%s sharp_bytes=%s\n' "$label" "$(basename "$image")" \
        "$(field java_ms "$j")" "$(field sharp_ms "$s")" "$(field bytes "$j")" "$(field bytes "$s")"
    done
    printf '%s java_ms=%.1f sharp_ms=%.1f ratio=%s java_rss_mb=%s sharp_rss_mb=%s rss_ratio=%s cpu_ratio=%s\n' \
      "$label$([ "$engine" = native ] || echo "-$engine")" "$jms" "$sms" "$(ratio "$jms" "$sms")" \
      "$jrss" "$srss" "$(ratio "$jrss" "$srss")" "$(ratio "$jcpu" "$scpu")"
  done
}

run W1-jpeg W1_JPEG "${photos[@]}"
run W1-webp W1_WEBP "${photos[@]}"
run W2-png W2_PNG "${pngs[@]}"
run W2-webp W2_WEBP "${pngs[@]}"
run W3 W3 "${photos[@]}"
run W4-avif W4_AVIF "${photos[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
