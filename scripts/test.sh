#!/usr/bin/env bash
# Runs the whole test suite on this machine: types, compose file, unit and integration tests
# (real Docker engine, real PostgreSQL) and end-to-end tests in Debian's Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_runtime
ensure_chromium
ensure_compose
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1

log "type-checking"
node_modules/.bin/tsc --noEmit

log "validating docker-compose.yml"
POSTGRES_PASSWORD=validate TERMINAL_TOKEN_SECRET=validate-only-0123456789abcdef0123 BETTER_AUTH_SECRET=validate-only-0123456789abcdef0123 compose config -q

log "unit and integration tests (vitest)"
node_modules/.bin/vitest run

log "building the web app for the end-to-end tests"
node_modules/.bin/next build >"$DATA_DIR/next-build.log" 2>&1 || { tail -40 "$DATA_DIR/next-build.log"; die "next build failed"; }

log "end-to-end tests (Playwright, Chromium)"
node_modules/.bin/playwright test

log "all tests passed"
