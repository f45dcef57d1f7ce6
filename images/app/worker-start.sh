#!/bin/sh
# Starts the worker in its container (docker-compose.yml): on the host's network, its lab firewall
# writes each lab bridge's sysctls under /proc/sys/net, which Docker mounts read-only. With
# CAP_SYS_ADMIN this container's own view of /proc/sys is made writable first (what a privileged
# container gets; privileged itself needs every capability from the engine, which not every engine
# has). Without it the worker says what is missing when it applies the firewall (LAB_FIREWALL=on).
set -eu
if [ "${LAB_FIREWALL:-on}" = on ] && grep -qE '^[^ ]+ /proc/sys [^ ]+ ro[ ,]' /proc/self/mounts; then
  mount -o remount,rw,bind /proc/sys 2>/dev/null || echo "wireroom-worker: cannot make /proc/sys writable (grant SYS_ADMIN)" >&2
fi
exec node /app/dist/worker/main.js "$@"
