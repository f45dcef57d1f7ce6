#!/usr/bin/env bash
# Runs the whole test suite on this machine: types, lint and format, compose file, unit and integration tests
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

log "lint (ESLint, import boundaries included)"
node_modules/.bin/eslint .

log "format check (Prettier)"
node_modules/.bin/prettier --check .

log "validating docker-compose.yml"
POSTGRES_PASSWORD=validate TERMINAL_TOKEN_SECRET=validate-only-0123456789abcdef0123 BETTER_AUTH_SECRET=validate-only-0123456789abcdef0123 compose config -q

# The engine's socket points nowhere and no database is named: a unit test that reaches for
# either fails here, on every run, instead of passing by luck on a machine that has them.
log "unit tests (no Docker, no PostgreSQL)"
started_ms=$(date +%s%3N)
DOCKER_HOST=unix:///nonexistent/wireroom/docker.sock env -u DATABASE_URL -u TEST_DATABASE_URL node_modules/.bin/vitest run --project unit
log "unit tests took $(( $(date +%s%3N) - started_ms )) ms"

log "integration tests (real Docker engine, real PostgreSQL)"
node_modules/.bin/vitest run --project integration

log "building the web app for the end-to-end tests"
node_modules/.bin/next build >"$DATA_DIR/next-build.log" 2>&1 || { tail -40 "$DATA_DIR/next-build.log"; die "next build failed"; }

log "end-to-end tests (Playwright, Chromium)"
node_modules/.bin/playwright test

# docker-compose.yml brought up for real (images built with no registry, lab images inside the
# stack), a lab started, used, checked and stopped through it, then taken down (images kept).
log "compose stack (docker-compose.yml up, a session through it, down)"
started=$SECONDS
npm run --silent build:worker
node_modules/.bin/vitest run --config test/compose/vitest.config.ts
log "compose stack test took $((SECONDS - started)) s"

log "all tests passed"
