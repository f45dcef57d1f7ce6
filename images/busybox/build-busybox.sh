#!/usr/bin/env bash
# Builds Debian's static busybox again, from Debian's own source and configuration (the version of
# the installed busybox-static), with ping-dgram.patch: without CAP_NET_RAW its ping uses the
# kernel's ICMP datagram sockets, so lab containers keep ping and lose raw sockets. (Debian's
# static busybox runs its own applets from its shell, so only a rebuilt binary changes `ping`.)
# Three applets are left out of it, so that the shell runs the programs of the same name on PATH:
# wget and httpd (Debian's static glibc wget segfaults, e.g. `wget -T 2` on an unreachable address)
# and link (labhost's /usr/bin/link, the link-settings client).
# Beside OUT it builds busybox-web: the same source against musl (Debian's musl-tools), allnoconfig
# plus static, wget (long options, status bar, authentication, timeout; no https, no ftp) and httpd;
# rootfs.sh installs it as /bin/wget and /bin/httpd.
# Needs only Debian's archive: a deb-src entry mirroring apt's own is added when missing. Root (apt).
# Usage: build-busybox.sh OUT     (needs gcc, make, patch, dpkg-dev, musl-tools)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/debian-source.sh"
out="$1"
web="$(dirname "$out")/busybox-web"
version="$(dpkg-query -W -f='${source:Version}' busybox-static)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
debian_source busybox "$version" "$work"
patch -s -p1 -d "$work/src" < "$here/ping-dgram.patch"

mkdir "$work/b"
# Debian's configuration of busybox-static (debian/rules: the OS part, then the flavour).
cat "$work/src/debian/config/os/linux" "$work/src/debian/config/pkg/static" |
  sed -E 's/^CONFIG_(WGET|HTTPD|LINK)=y$/# CONFIG_\1 is not set/' > "$work/b/.config"
make -s -C "$work/b" -f "$work/src/Makefile" KBUILD_SRC="$work/src" silentoldconfig >/dev/null < <(yes "")
make -s -C "$work/b" -j"$(nproc)" busybox BB_EXTRA_VERSION="Debian $version" >/dev/null 2>&1 ||
  make -C "$work/b" busybox BB_EXTRA_VERSION="Debian $version"
strip "$work/b/busybox"

# busybox-web: allnoconfig, then web.config's choices (every other new option takes its default).
mkdir "$work/w" "$work/kernel-headers"
make -s -C "$work/w" -f "$work/src/Makefile" KBUILD_SRC="$work/src" allnoconfig >/dev/null
grep -E '^(# )?CONFIG_' "$here/web.config" > "$work/web.config"
names="$(sed -E 's/^# (CONFIG_[A-Z0-9_]+) is not set/\1/; s/=.*//' "$work/web.config" | paste -sd'|')"
{ grep -vE "^(# )?($names)[ =]" "$work/w/.config"; cat "$work/web.config"; } > "$work/w/.config.new"
mv "$work/w/.config.new" "$work/w/.config"
make -s -C "$work/w" -f "$work/src/Makefile" KBUILD_SRC="$work/src" oldconfig >/dev/null < <(yes "")
# musl-gcc sees no kernel headers: busybox needs Debian's (linux-libc-dev).
for d in linux asm-generic mtd "$(gcc -print-multiarch)/asm"; do ln -s "/usr/include/$d" "$work/kernel-headers/"; done
make -s -C "$work/w" -f "$work/src/Makefile" KBUILD_SRC="$work/src" -j"$(nproc)" CC=musl-gcc HOSTCC=gcc \
  EXTRA_CFLAGS="-isystem $work/kernel-headers" busybox BB_EXTRA_VERSION="Debian $version, musl" >/dev/null 2>&1 ||
  make -C "$work/w" -f "$work/src/Makefile" KBUILD_SRC="$work/src" CC=musl-gcc HOSTCC=gcc EXTRA_CFLAGS="-isystem $work/kernel-headers" busybox
strip "$work/w/busybox"
# OUT last: images/build.sh takes OUT's presence for a finished build.
mkdir -p "$(dirname "$out")"
cp "$work/w/busybox" "$web.tmp" && mv "$web.tmp" "$web"
cp "$work/b/busybox" "$out.tmp" && mv "$out.tmp" "$out"
