#!/usr/bin/env bash
# The one script that makes every image wireroom builds itself (no container registry is reachable):
#   base      wireroom/base:bookworm   Debian from debootstrap (minbase) and `docker import`; every
#                                      Dockerfile here starts FROM it
#   busybox   busybox:latest           lab containers (Debian's busybox, ping without raw sockets)
#   labhost   wireroom/labhost:latest  session hosts and lab DNS
#   nettools  wireroom/nettools:latest capture and link-impairment helpers (tcpdump, tc, iptables,
#                                      nfdelay, wr-impair)
#   app       wireroom/app:latest      web, worker and migrations (images/app/Dockerfile)
#   app-prebuilt                       the same image from this machine's built tree (CI)
#   postgres  wireroom/postgres:15     Debian's PostgreSQL (images/postgres/Dockerfile)
#   all       every one of them
# base, busybox, labhost and nettools are rebuilt only when their recipe changes (a label on the image holds
# the recipe's hash; base's root filesystem is also kept in .data/images). busybox and labhost are
# built here the fast way, on this machine; docker-compose.yml builds the same ones from the same
# recipe files inside the stack (images/lab/Dockerfile). app and postgres are `docker build`s
# (their layers are the cache). Docker builds run with the host's network (the engine may have no
# default bridge) and at lower CPU priority.
# Usage: images/build.sh [base|busybox|labhost|nettools|app|app-prebuilt|postgres|all]...
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
IMAGES="$ROOT/images"

BASE_IMAGE=wireroom/base:bookworm
APP_IMAGE="${APP_IMAGE:-wireroom/app:latest}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-wireroom/postgres:15}"

label_of() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }

# The Debian mirror apt already uses on this machine (WIREROOM_DEBIAN_MIRROR overrides it).
debian_mirror() {
  if [ -n "${WIREROOM_DEBIAN_MIRROR:-}" ]; then echo "$WIREROOM_DEBIAN_MIRROR"; return; fi
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}')"
  [ -n "$uri" ] || uri="$(grep -hE '^deb (\[[^]]*\] )?[a-z]+://[^ ]*/debian/? ' /etc/apt/sources.list 2>/dev/null | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1; exit}')"
  echo "${uri:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

build_base() {
  local mirror key have tarball
  mirror="$(debian_mirror)"
  key="$({ cat "$IMAGES/base/build-rootfs.sh"; echo "$mirror"; } | sha256sum | cut -c1-16)"
  have="$(label_of "$BASE_IMAGE" io.wireroom.base-recipe)"
  [ "$have" = "$key" ] && return
  tarball="$DATA_DIR/images/base-$key.tar"
  if [ ! -f "$tarball" ]; then
    command -v debootstrap >/dev/null || { log "installing debootstrap (Debian)"; apt_install debootstrap; }
    log "building Debian bookworm (debootstrap minbase from $mirror; about a minute)"
    local started=$SECONDS
    rm -f "$DATA_DIR"/images/base-*.tar
    nice -n 10 bash "$IMAGES/base/build-rootfs.sh" "$mirror" "$tarball"
    log "root filesystem made in $((SECONDS - started)) s"
  fi
  log "importing $BASE_IMAGE"
  docker import -c 'CMD ["bash"]' -c "LABEL io.wireroom.base-recipe=$key" "$tarball" "$BASE_IMAGE" >/dev/null
}

# The lab images' busybox binary: Debian's busybox version, its build script and the ping patch
# and the musl busybox-web's configuration (its folder in .data, holding busybox and busybox-web, is
# named by their hash); the busybox image's recipe adds its rootfs script.
lab_busybox_recipe() {
  [ -z "${BUSYBOX_RECIPE:-}" ] || return 0
  dpkg -s busybox-static >/dev/null 2>&1 || { log "installing busybox-static (Debian)"; apt_install busybox-static; }
  dpkg -s musl-tools >/dev/null 2>&1 || { log "installing musl-tools (Debian)"; apt_install musl-tools; }
  local key
  key="$({ cat "$IMAGES/busybox/build-busybox.sh" "$IMAGES/busybox/ping-dgram.patch" "$IMAGES/busybox/web.config" "$IMAGES/lib/debian-source.sh"
    dpkg-query -W -f='${Version}' busybox-static musl-tools; } | sha256sum | cut -c1-16)"
  LAB_BUSYBOX="$DATA_DIR/busybox/$key/busybox"
  BUSYBOX_RECIPE="$(sha256sum "$IMAGES/busybox/rootfs.sh" | cut -c1-8)-$key"
}

# Debian's static busybox rebuilt from Debian's source with a ping that uses ICMP datagram sockets
# (no NET_RAW in lab containers); once per recipe, kept in .data. Only when an image needs it.
ensure_lab_busybox() {
  [ -x "$LAB_BUSYBOX" ] && return
  local tool missing=()
  for tool in gcc make patch dpkg-source strip musl-gcc; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ "${#missing[@]}" = 0 ] || apt_install gcc libc6-dev make patch dpkg-dev binutils musl-tools
  log "building busybox from Debian's source with a ping that needs no raw sockets, and wget/httpd against musl (2-4 minutes)"
  local started=$SECONDS
  bash "$IMAGES/busybox/build-busybox.sh" "$LAB_BUSYBOX"
  log "busybox built in $((SECONDS - started)) s"
}

# A root filesystem made by one of the rootfs.sh scripts, imported as TAG with a recipe label.
# Extra arguments go to the script before OUT_DIR.
import_rootfs() {
  local script="$1" tag="$2" label="$3" root
  shift 3
  root="$(mktemp -d)"
  bash "$script" "$LAB_BUSYBOX" "$@" "$root"
  tar -C "$root" -c . | docker import -c 'CMD ["sh"]' -c "LABEL $label" - "$tag" >/dev/null
  rm -rf "$root"
}

build_busybox() {
  lab_busybox_recipe
  [ "$(label_of "${LAB_IMAGE:-busybox:latest}" io.wireroom.busybox-recipe)" = "$BUSYBOX_RECIPE" ] && return
  ensure_lab_busybox
  log "building ${LAB_IMAGE:-busybox:latest} (Debian's static busybox, ping without raw sockets, musl wget and httpd)"
  import_rootfs "$IMAGES/busybox/rootfs.sh" "${LAB_IMAGE:-busybox:latest}" "io.wireroom.busybox-recipe=$BUSYBOX_RECIPE"
}

# Rebuilt when labdns.c, link.c, the rootfs scripts, the busybox recipe or the copied packages
# (docker.io, iptables) change.
build_labhost() {
  lab_busybox_recipe
  [ -x /usr/bin/docker ] || apt_install docker.io
  [ -x /usr/sbin/xtables-nft-multi ] || apt_install iptables
  local want tag="${LAB_HOST_IMAGE:-wireroom/labhost:latest}"
  want="$({ cat "$IMAGES/labhost/labdns.c" "$IMAGES/labhost/link.c" "$IMAGES/labhost/rootfs.sh" "$IMAGES/lib/copy-with-libs.sh"
    dpkg-query -W -f='${Version}' docker.io iptables 2>/dev/null || true; } | sha256sum | cut -c1-16)-$BUSYBOX_RECIPE"
  [ "$(label_of "$tag" io.wireroom.labhost-recipe)" = "$want" ] && return
  ensure_lab_busybox
  command -v gcc >/dev/null || apt_install gcc libc6-dev
  log "building $tag (busybox + labdns + link + the Docker CLI + iptables)"
  import_rootfs "$IMAGES/labhost/rootfs.sh" "$tag" "io.wireroom.labhost-recipe=$want"
}

# The capture and link-impairment helpers' image. Rebuilt when its recipe files, the busybox recipe
# or the packages it copies or builds from (tcpdump's source, libpcap, iproute2, iptables,
# libnetfilter-queue) change. tcpdump is rebuilt from Debian's source once per recipe, kept in .data.
build_nettools() {
  lab_busybox_recipe
  local pkgs=(tcpdump libpcap-dev iproute2 iptables libnetfilter-queue-dev) missing=() pkg key want tcpdump
  local tag="${NETTOOLS_IMAGE:-wireroom/nettools:latest}"
  for pkg in "${pkgs[@]}" gcc make dpkg-dev; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ "${#missing[@]}" = 0 ] || { log "installing ${missing[*]} (Debian)"; apt_install "${missing[@]}"; }
  key="$({ cat "$IMAGES/nettools/build-tcpdump.sh" "$IMAGES/lib/debian-source.sh"
    dpkg-query -W -f='${source:Version} ${Version}' tcpdump libpcap-dev; } | sha256sum | cut -c1-16)"
  tcpdump="$DATA_DIR/nettools/$key/tcpdump"
  want="$({ cat "$IMAGES/nettools/nfdelay.c" "$IMAGES/nettools/wr-impair" "$IMAGES/nettools/rootfs.sh" "$IMAGES/lib/copy-with-libs.sh"
    dpkg-query -W -f='${Version}' "${pkgs[@]}"; } | sha256sum | cut -c1-16)-$key-$BUSYBOX_RECIPE"
  [ "$(label_of "$tag" io.wireroom.nettools-recipe)" = "$want" ] && return
  ensure_lab_busybox
  if [ ! -x "$tcpdump" ]; then
    log "building tcpdump from Debian's source, staying root with CAP_NET_RAW only (1-2 minutes)"
    local started=$SECONDS
    rm -rf "$DATA_DIR/nettools"
    nice -n 10 bash "$IMAGES/nettools/build-tcpdump.sh" "$tcpdump"
    log "tcpdump built in $((SECONDS - started)) s"
  fi
  log "building $tag (busybox + tcpdump + tc + iptables + nfdelay + wr-impair)"
  import_rootfs "$IMAGES/nettools/rootfs.sh" "$tag" "io.wireroom.nettools-recipe=$want" "$tcpdump"
}

docker_build() {
  local tag="$1"; shift
  local started=$SECONDS buildlog
  buildlog="$DATA_DIR/images/$(echo "$tag" | tr '/:' '__').log"
  mkdir -p "$DATA_DIR/images"
  log "building $tag (log: $buildlog)"
  nice -n 10 docker build --network host -t "$tag" "$@" >"$buildlog" 2>&1 || { tail -30 "$buildlog" >&2; die "building $tag failed (log: $buildlog)"; }
  log "$tag built in $((SECONDS - started)) s"
}

# PEM certificates this machine added to its trust store (a TLS-inspecting proxy's), for the
# app build's downloads (BUILD_CA_CERTS overrides them).
build_ca_certs() {
  if [ -n "${BUILD_CA_CERTS+set}" ]; then printf '%s' "$BUILD_CA_CERTS"; return; fi
  cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true
}

build_app() {
  build_base
  docker_build "$APP_IMAGE" -f "$IMAGES/app/Dockerfile" --build-arg "BUILD_CA_CERTS=$(build_ca_certs)" "$ROOT"
}

# The app image from this machine's built tree (node_modules, .next, dist: npm ci, next build and
# npm run build:worker done here), on the Dockerfile's runtime stage. CI's compose test uses it.
build_app_prebuilt() {
  build_base
  local missing=() path
  for path in node_modules/.bin/next .next/BUILD_ID dist/worker/main.js dist/worker/checkThread.js src/generated/prisma/client.ts; do
    [ -e "$ROOT/$path" ] || missing+=("$path")
  done
  [ "${#missing[@]}" = 0 ] || die "app-prebuilt needs a built tree (npm ci, next build, npm run build:worker); missing: ${missing[*]}"
  docker_build "$APP_IMAGE-runtime" -f "$IMAGES/app/Dockerfile" --target runtime --build-arg "BUILD_CA_CERTS=$(build_ca_certs)" "$ROOT"
  log "building $APP_IMAGE from this tree (node_modules, .next, dist)"
  local started=$SECONDS
  (cd "$ROOT" && tar -c --exclude=.next/cache --exclude=.next/dev --exclude=.next/trace --exclude=node_modules/.cache \
    package.json package-lock.json next.config.js prisma.config.ts tsconfig.json prisma labs src node_modules .next dist \
    images/app/prebuilt.Dockerfile) |
    nice -n 10 docker build -q -f images/app/prebuilt.Dockerfile --build-arg "RUNTIME=$APP_IMAGE-runtime" -t "$APP_IMAGE" - >/dev/null
  log "$APP_IMAGE built in $((SECONDS - started)) s"
}

build_postgres() {
  build_base
  docker_build "$POSTGRES_IMAGE" "$IMAGES/postgres"
}

[ -n "${WIREROOM_DOCKER_CHECKED:-}" ] || ensure_docker
[ "$#" -gt 0 ] || set -- all
for target in "$@"; do
  case "$target" in
    base) build_base ;;
    busybox) build_busybox ;;
    labhost) build_labhost ;;
    nettools) build_nettools ;;
    app) build_app ;;
    app-prebuilt) build_app_prebuilt ;;
    postgres) build_postgres ;;
    all) build_base; build_busybox; build_labhost; build_nettools; build_postgres; build_app ;;
    *) die "images/build.sh: unknown image '$target'; accepted: base, busybox, labhost, nettools, app, app-prebuilt, postgres, all" ;;
  esac
done
