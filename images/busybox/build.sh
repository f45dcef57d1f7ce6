#!/usr/bin/env bash
# Builds busybox:latest with no registry: the busybox that build-busybox.sh made (Debian's static
# busybox with a ping that needs no CAP_NET_RAW) and a link per applet.
# Usage: build.sh BUSYBOX_BINARY RECIPE_KEY [TAG]
set -euo pipefail
busybox="$1"
key="$2"
tag="${3:-busybox:latest}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
tar -C "$root" -c . | docker import -c 'CMD ["sh"]' -c "LABEL io.wireroom.busybox-recipe=$key" - "$tag" >/dev/null
