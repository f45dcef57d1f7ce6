#!/usr/bin/env bash
# Sourced by the rootfs.sh scripts.
# copy_libs ROOT BINARY: the shared libraries ldd names for BINARY, copied into ROOT at the same paths.
copy_libs() {
  local root="$1" binary="$2" lib
  for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

# copy_with_libs ROOT BINARY: a dynamically linked binary of this machine (a Debian package's) and
# its libraries, copied into ROOT at the same paths.
copy_with_libs() {
  local root="$1" binary="$2"
  [ -x "$binary" ] || { echo "rootfs: $binary is missing (install its Debian package)" >&2; exit 1; }
  mkdir -p "$root$(dirname "$binary")"
  cp -L "$binary" "$root$binary"
  copy_libs "$root" "$binary"
}
