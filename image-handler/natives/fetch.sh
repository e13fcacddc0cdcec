#!/usr/bin/env bash
# Fetches the engine's native libraries for the Lambda jar and the local edge, checks each against the
# checksum pinned below, and lays them out as classpath resources:
#   OUT/natives/linux-x86_64/{libgcc_s.so.1,libstdc++.so.6,libvips-cpp.so.8.18.7,libraries.txt}
#   OUT/natives/linux-aarch64/...
# - libvips 8.18.7: the portable build npm publishes for sharp (@img/sharp-libvips-linux-*, LGPL-3.0-or-later);
#   glibc >= 2.28, includes mozjpeg, libspng, libwebp, cgif, lcms2, libheif + aom (AVIF).
# - libstdc++ and libgcc_s: Debian bullseye's GCC 10 runtime (GLIBC <= 2.31), because libvips links them and
#   Lambda's java25 OS (Amazon Linux 2023, glibc 2.34) is not guaranteed to carry them; the JVM carries none.
#   libvips' RUNPATH is $ORIGIN/, so these copies, extracted beside it, are the ones it loads (see NativeLibraries).
# Usage: natives/fetch.sh OUT_DIR   (downloads are cached in ${IMAGE_SCALER_NATIVES_CACHE:-~/.cache/image-scaler-natives})
set -euo pipefail
out=${1:?usage: fetch.sh OUT_DIR}
cache=${IMAGE_SCALER_NATIVES_CACHE:-$HOME/.cache/image-scaler-natives}
mkdir -p "$cache"
VIPS_VERSION=1.3.4            # = libvips 8.18.7
VIPS_SO=libvips-cpp.so.8.18.7
DEBIAN_POOL=http://deb.debian.org/debian/pool/main/g/gcc-10
GCC_VERSION=10.2.1-6

# name|file|checksum (sha512 base64 = npm's integrity, or sha256 hex for the Debian packages)
pins() {
  cat <<PINS
x64|img-sharp-libvips-linux-x64-$VIPS_VERSION.tgz|sha512-GJ//SSXbnwSDes02umB3nDJLFcQzw8a18V8fyhqr6tV515tOEMdImjjxj1AoafMRz56F3PHgftnj1QEKSU1zkw==
arm64|img-sharp-libvips-linux-arm64-$VIPS_VERSION.tgz|sha512-Y3dgX/6lE2QhQb+Gxy0WZxfg9MEm/JBjamZpS2IklP7xIQoKN4hzAm7KcMVGtaVDt3neE9OKBC7vAfonA/Lr1A==
amd64|libstdc++6_${GCC_VERSION}_amd64.deb|5c155c58935870bf3b4bfe769116841c0d286a74f59eccfd5645693ac23f06b1
amd64|libgcc-s1_${GCC_VERSION}_amd64.deb|e478f2709d8474165bb664de42e16950c391f30eaa55bc9b3573281d83a29daf
arm64|libstdc++6_${GCC_VERSION}_arm64.deb|7869aa540cc46e9f3d4267d5bde2af0e5b429a820c1d6f1a4cfccfe788c31890
arm64|libgcc-s1_${GCC_VERSION}_arm64.deb|e2fcdb378d3c1ad1bcb64d4fb6b37aab44011152beca12a4944f435a2582df1f
PINS
}

verified() { # file expected -> 0 when the file matches its pin
  local file=$1 want=$2
  [ -f "$file" ] || return 1
  case "$want" in
    sha512-*) [ "sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)" = "$want" ] ;;
    *) [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$want" ] ;;
  esac
}

fetch() { # arch file pin
  local arch=$1 file=$2 pin=$3 path="$cache/$2"
  verified "$path" "$pin" && return 0
  rm -f "$path"
  case "$file" in
    img-sharp-libvips-*) (cd "$cache" && npm pack --silent "@img/sharp-libvips-linux-$arch@$VIPS_VERSION" >/dev/null) ;;
    *.deb) curl -fsS -o "$path" "$DEBIAN_POOL/$file" ;;
  esac
  verified "$path" "$pin" || { echo "fetch.sh: $file does not match its pinned checksum $pin" >&2; rm -f "$path"; exit 1; }
}

while IFS='|' read -r arch file pin; do fetch "$arch" "$file" "$pin"; done < <(pins)

deb_lib() { # deb member-glob dest
  local tmp; tmp=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$1" | tar -x -C "$tmp"
  cp -L $(find "$tmp" -name "$2" | head -1) "$3"
  rm -rf "$tmp"
}

for pair in x64:amd64:linux-x86_64 arm64:arm64:linux-aarch64; do
  IFS=: read -r npmarch debarch dir <<<"$pair"
  dest="$out/natives/$dir"
  mkdir -p "$dest"
  if [ ! -f "$dest/libraries.txt" ] || [ ! -f "$dest/$VIPS_SO" ]; then
    tar -xzf "$cache/img-sharp-libvips-linux-$npmarch-$VIPS_VERSION.tgz" -C "$dest" --strip-components=2 "package/lib/$VIPS_SO"
    deb_lib "$cache/libgcc-s1_${GCC_VERSION}_$debarch.deb" 'libgcc_s.so.1' "$dest/libgcc_s.so.1"
    deb_lib "$cache/libstdc++6_${GCC_VERSION}_$debarch.deb" 'libstdc++.so.6.0.28' "$dest/libstdc++.so.6"
  fi
  # load order: the C++ runtime first (only used when the system lacks it), then libvips
  printf '%s\n' libgcc_s.so.1 libstdc++.so.6 "$VIPS_SO" > "$dest/libraries.txt"
done
