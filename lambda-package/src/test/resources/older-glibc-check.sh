#!/usr/bin/env bash
# Runs the engine self-test of the Lambda jar in a Debian bullseye minbase root: glibc 2.31, older than
# Lambda's java25 runtime (Amazon Linux 2023, glibc 2.34), with libstdc++ and libgcc_s removed (the JVM
# carries none; the package must bring what libvips links beyond glibc).
# Usage: older-glibc-check.sh ROOT_DIR JDK_DIR LAMBDA_JAR PHOTO     (ROOT_DIR is created once and reused)
set -euo pipefail
root=$1 jdk=$2 jar=$3 photo=$4
if [ ! -x "$root/bin/sh" ]; then
  rm -rf "$root.partial"
  debootstrap --variant=minbase bullseye "$root.partial" http://deb.debian.org/debian >"$root.log" 2>&1 \
    || { tail -20 "$root.log"; exit 3; }
  mv "$root.partial" "$root"
fi
[ -x "$root/opt/jdk/bin/java" ] || { mkdir -p "$root/opt" && cp -a "$jdk" "$root/opt/jdk"; }
rm -f "$root"/usr/lib/x86_64-linux-gnu/libstdc++.so.6* "$root"/usr/lib/x86_64-linux-gnu/libgcc_s.so.1 \
      "$root"/lib/x86_64-linux-gnu/libgcc_s.so.1 "$root"/lib/x86_64-linux-gnu/libstdc++.so.6*
rm -rf "$root"/tmp/image-scaler-natives-*
if find "$root" -xdev \( -name 'libstdc++.so.6' -o -name 'libstdc++.so.6.0.[0-9]*[0-9]' -o -name 'libgcc_s.so.1' \) -print -quit | grep -q .; then
  echo "a C++ runtime is still in the root"; exit 4
fi
cp "$jar" "$root/tmp/lambda.jar"
cp "$photo" "$root/tmp/photo.jpg"
echo "root: $(chroot "$root" /usr/bin/ldd --version | head -1)"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
chroot "$root" /opt/jdk/bin/java --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir=/tmp -cp /tmp/lambda.jar \
  io.imagescaler.handler.transform.EngineSelection /tmp/photo.jpg w_400
