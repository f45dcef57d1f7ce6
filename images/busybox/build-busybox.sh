#!/usr/bin/env bash
# Builds Debian's static busybox again, from Debian's own source and configuration (the version of
# the installed busybox-static), with ping-dgram.patch: without CAP_NET_RAW its ping uses the
# kernel's ICMP datagram sockets, so lab containers keep ping and lose raw sockets. (Debian's
# static busybox runs its own applets from its shell, so only a rebuilt binary changes `ping`.)
# Needs only Debian's archive: a deb-src entry mirroring apt's own is added when missing. Root (apt).
# Usage: build-busybox.sh OUT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"
version="$(dpkg-query -W -f='${source:Version}' busybox-static)"

# deb-src for the mirrors apt already uses (deb822 and one-line formats).
src_list=/etc/apt/sources.list.d/wireroom-deb-src.sources
# The same entry under the project's old name (netlab): apt warns about every duplicate.
if [ -f /etc/apt/sources.list.d/netlab-deb-src.sources ] && [ -f "$src_list" ]; then rm -f /etc/apt/sources.list.d/netlab-deb-src.sources; fi
if ! apt-cache showsrc "busybox=$version" 2>/dev/null | grep -q "^Version: $version$"; then
  if [ ! -f "$src_list" ]; then
    {
      for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "$f" != "$src_list" ] || continue
        awk 'BEGIN{RS="";ORS="\n\n"} /Types:[^\n]*deb/ && !/Types:[^\n]*deb-src/ && /URIs:[^\n]*debian/ {sub(/Types:[^\n]*/, "Types: deb-src"); print}' "$f"
      done
      if [ -f /etc/apt/sources.list ]; then
        grep -E '^deb .*debian' /etc/apt/sources.list | while read -r _ rest; do
          # one-line entries as deb822: URIs, suite, components
          set -- $rest
          [[ "$1" == \[* ]] && shift
          printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' "$1" "$2" "${*:3}"
        done
      fi
    } > "$src_list"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq --download-only "busybox=$version" >/dev/null 2>&1) ||
  { echo "cannot fetch Debian's busybox source $version (is a deb-src entry for Debian's archive configured?)" >&2; exit 1; }
# apt checked the files against the archive's signed index; dpkg-source has no keyring for the .dsc.
dpkg-source -x "$work"/busybox_*.dsc "$work/src" >"$work/dpkg-source.log" 2>&1 || { cat "$work/dpkg-source.log" >&2; exit 1; }
patch -s -p1 -d "$work/src" < "$here/ping-dgram.patch"

mkdir "$work/b"
# Debian's configuration of busybox-static (debian/rules: the OS part, then the flavour).
cat "$work/src/debian/config/os/linux" "$work/src/debian/config/pkg/static" > "$work/b/.config"
make -s -C "$work/b" -f "$work/src/Makefile" KBUILD_SRC="$work/src" silentoldconfig >/dev/null < <(yes "")
make -s -C "$work/b" -j"$(nproc)" busybox BB_EXTRA_VERSION="Debian $version" >/dev/null 2>&1 ||
  make -C "$work/b" busybox BB_EXTRA_VERSION="Debian $version"
strip "$work/b/busybox"
mkdir -p "$(dirname "$out")"
cp "$work/b/busybox" "$out.tmp" && mv "$out.tmp" "$out"
