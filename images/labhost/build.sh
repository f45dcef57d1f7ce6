#!/usr/bin/env bash
# Builds wireroom/labhost:latest: busybox plus labdns, the image of each session's host, of the lab
# DNS service and of the one-shot helper that makes the session host look like a Docker host
# (worker/provisioner/docker/hostSetup.ts). No registry: the root filesystem is assembled here and
# imported. Its busybox is BUSYBOX_BINARY (images/busybox/build-busybox.sh), like busybox:latest's.
# It also carries, copied from this machine (Debian's docker.io and iptables packages):
#   /usr/bin/docker   the real Docker CLI, for the learner (it talks to the session's own API socket,
#                     bind-mounted on /var/run by the worker; the image's /var/run is empty)
#   iptables (nft)    for the helper's DNS redirect; useless without NET_ADMIN (the learner has none)
# Usage: build.sh BUSYBOX_BINARY RECIPE_KEY [TAG]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
busybox="$1"
key="$2"
tag="${3:-wireroom/labhost:latest}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root" "$root/var/run"
cp "$busybox" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
gcc -static -Os -Wall -Wextra -Werror -o "$root/usr/sbin/labdns" "$here/labdns.c"
strip "$root/usr/sbin/labdns"

# A dynamically linked binary and the libraries ldd names for it (same paths in the image).
copy_with_libs() {
  local binary="$1" lib
  [ -x "$binary" ] || { echo "build.sh: $binary is missing (Debian: apt-get install docker.io iptables)" >&2; exit 1; }
  mkdir -p "$root$(dirname "$binary")"
  cp -L "$binary" "$root$binary"
  for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}
copy_with_libs /usr/bin/docker
copy_with_libs /usr/sbin/xtables-nft-multi
ln -sf xtables-nft-multi "$root/usr/sbin/iptables"
mkdir -p "$root/usr/lib/x86_64-linux-gnu"
cp -a /usr/lib/x86_64-linux-gnu/xtables "$root/usr/lib/x86_64-linux-gnu/"

echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
tar -C "$root" -c . | docker import -c 'CMD ["sh"]' -c "LABEL io.wireroom.labhost-recipe=$key" - "$tag" >/dev/null
