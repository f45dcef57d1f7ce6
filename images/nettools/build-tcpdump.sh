#!/usr/bin/env bash
# Builds tcpdump from Debian's source (the version of the installed tcpdump package), upstream's code
# without Debian's patches and without --with-user: Debian's tcpdump, run as root, always switches to
# user tcpdump (setgroups: CAP_SETGID), and the capture helper has CAP_NET_RAW only. Also without
# libcrypto and libsmi (ESP decryption and SNMP MIBs: not used). Linked against Debian's libpcap.
# Usage: build-tcpdump.sh OUT      (needs gcc, make, libpcap-dev, dpkg-dev; root for apt)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/debian-source.sh"
out="$1"
version="$(dpkg-query -W -f='${source:Version}' tcpdump)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
debian_source tcpdump "$version" "$work" --skip-patches
cd "$work/src"
./configure -q --without-crypto --without-smi --disable-smb >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
make -s -j"$(nproc)" tcpdump >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
strip tcpdump
mkdir -p "$(dirname "$out")"
cp tcpdump "$out.tmp" && mv "$out.tmp" "$out"
