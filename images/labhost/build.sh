#!/usr/bin/env bash
# Builds wireroom/labhost:latest: busybox plus labdns, the image of each session's host and of the
# lab DNS service. No registry: the root filesystem is assembled here and imported. Its busybox is
# BUSYBOX_BINARY (images/busybox/build-busybox.sh), like busybox:latest's.
# Usage: build.sh BUSYBOX_BINARY RECIPE_KEY [TAG]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
busybox="$1"
key="$2"
tag="${3:-wireroom/labhost:latest}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
gcc -static -Os -Wall -Wextra -Werror -o "$root/usr/sbin/labdns" "$here/labdns.c"
strip "$root/usr/sbin/labdns"
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
tar -C "$root" -c . | docker import -c 'CMD ["sh"]' -c "LABEL io.wireroom.labhost-recipe=$key" - "$tag" >/dev/null
