#!/usr/bin/env bash
# The root filesystem of wireroom/nettools:latest, the image of the capture and link-impairment
# helper containers (they join a session container's network namespace). busybox (BUSYBOX_BINARY, as in
# busybox:latest) for sh and the usual applets, plus, from the machine that builds it (Debian):
#   /usr/bin/tcpdump      TCPDUMP_BINARY (build-tcpdump.sh: it stays root, CAP_NET_RAW is enough)
#   /usr/sbin/tc          (iproute2; call it by this path: busybox's sh runs its own `tc` applet)
#   /usr/sbin/iptables    (iptables, the nft variant, as in labhost)
#   /usr/sbin/nfdelay     nfdelay.c, linked against libnetfilter-queue
#   /usr/sbin/wr-impair   the impairment script (wr-impair apply|clear)
# Used by images/build.sh (on the host, then imported) and images/lab/Dockerfile (a build stage).
# Usage: rootfs.sh BUSYBOX_BINARY TCPDUMP_BINARY OUT_DIR
#        (needs gcc, libnetfilter-queue-dev, libpcap-dev, iproute2, iptables)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/copy-with-libs.sh"
busybox="$1"
tcpdump="$2"
root="$3"
bash "$here/../busybox/rootfs.sh" "$busybox" "$root"
mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/run"

gcc -O2 -Wall -Wextra -Werror -o "$root/usr/sbin/nfdelay" "$here/nfdelay.c" -lnetfilter_queue
strip "$root/usr/sbin/nfdelay"
copy_libs "$root" "$root/usr/sbin/nfdelay"
install -m 0755 "$here/wr-impair" "$root/usr/sbin/wr-impair"

install -D -m 0755 "$tcpdump" "$root/usr/bin/tcpdump"
copy_libs "$root" "$root/usr/bin/tcpdump"
copy_with_libs "$root" /usr/sbin/tc
copy_with_libs "$root" /usr/sbin/xtables-nft-multi
ln -sf xtables-nft-multi "$root/usr/sbin/iptables"
mkdir -p "$root/usr/lib/x86_64-linux-gnu"
cp -a /usr/lib/x86_64-linux-gnu/xtables "$root/usr/lib/x86_64-linux-gnu/"
