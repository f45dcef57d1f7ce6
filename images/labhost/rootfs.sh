#!/usr/bin/env bash
# The root filesystem of wireroom/labhost:latest: busybox plus labdns and link, the image of each session's
# host, of the lab DNS service and of the one-shot helper that makes the session host look like a
# Docker host (worker/provisioner/docker/hostSetup.ts). Its busybox is BUSYBOX_BINARY
# (images/busybox/build-busybox.sh), like busybox:latest's. It also carries, copied from the
# machine that builds it (Debian's docker.io and iptables packages):
#   /usr/bin/link     link.c, the learner's client of the session's link settings (static)
#   /usr/bin/docker   the real Docker CLI, for the learner (it talks to the session's own API socket,
#                     bind-mounted on /var/run by the worker; the image's /var/run is empty)
#   iptables (nft)    for the helper's DNS redirect; useless without NET_ADMIN (the learner has none)
# Used by images/build.sh (on the host, then imported) and images/lab/Dockerfile (in a build stage).
# Usage: rootfs.sh BUSYBOX_BINARY OUT_DIR      (needs gcc, libc6-dev, docker.io, iptables)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/copy-with-libs.sh"
busybox="$1"
root="$2"
bash "$here/../busybox/rootfs.sh" "$busybox" "$root"
mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/var/run"
gcc -static -Os -Wall -Wextra -Werror -o "$root/usr/sbin/labdns" "$here/labdns.c"
strip "$root/usr/sbin/labdns"
gcc -static -Os -Wall -Wextra -Werror -o "$root/usr/bin/link" "$here/link.c"
strip "$root/usr/bin/link"

copy_with_libs "$root" /usr/bin/docker
copy_with_libs "$root" /usr/sbin/xtables-nft-multi
ln -sf xtables-nft-multi "$root/usr/sbin/iptables"
mkdir -p "$root/usr/lib/x86_64-linux-gnu"
cp -a /usr/lib/x86_64-linux-gnu/xtables "$root/usr/lib/x86_64-linux-gnu/"
