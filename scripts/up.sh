#!/usr/bin/env bash
# Brings the whole platform up on this machine: Node 24, dependencies, Docker engine, the
# busybox image, PostgreSQL (embedded unless DATABASE_URL is set), migrations, web and worker.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_runtime
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1
log "building the web app"
node_modules/.bin/next build >"$DATA_DIR/next-build.log" 2>&1 || { tail -40 "$DATA_DIR/next-build.log"; die "next build failed (log: $DATA_DIR/next-build.log)"; }
exec node_modules/.bin/tsx scripts/platform.ts
