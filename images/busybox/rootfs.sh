#!/usr/bin/env bash
# The root filesystem of busybox:latest (the lab containers' image): the busybox that
# build-busybox.sh made (Debian's static busybox with a ping that needs no CAP_NET_RAW), a link per
# applet, /bin/wget and /bin/httpd from busybox-web (musl, built beside it), root's passwd and
# group entries. Used by images/build.sh (imported on the host) and by
# images/lab/Dockerfile (copied into a scratch image), so both make the same image.
# Usage: rootfs.sh BUSYBOX_BINARY OUT_DIR
set -euo pipefail
busybox="$1"
root="$2"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for a in $("$root/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"; done
# wget and httpd from the musl busybox-web built beside it (the main binary is built without them).
cp "$(dirname "$busybox")/busybox-web" "$root/bin/busybox-web"
ln -sf busybox-web "$root/bin/wget"
ln -sf busybox-web "$root/bin/httpd"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
