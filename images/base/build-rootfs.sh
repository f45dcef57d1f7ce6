#!/usr/bin/env bash
# The root filesystem of wireroom/base:bookworm, the Debian every other image starts FROM (no
# registry is reachable): debootstrap's minbase variant from the Debian mirror apt already uses,
# with apt's sources for that mirror, and no documentation, manual pages or translations (as
# Debian's own slim images: dpkg leaves them out of every later install too).
# Usage: build-rootfs.sh MIRROR OUT.tar     (root; needs debootstrap)
set -euo pipefail
mirror="$1"
out="$2"
suite=bookworm
root="$(mktemp -d)"
# debootstrap mounts /proc and /sys in the new root while it installs: never remove through a mount.
cleanup() {
  local m
  for m in proc sys dev/pts dev; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"; done
  rm -rf "$root" "$root.log"
}
trap cleanup EXIT

debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }

# apt: the same mirror, with Debian's updates and security suites.
security="${mirror%/debian}/debian-security"
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# Smaller images: no docs, manuals or translations now or in later installs; apt keeps no packages.
cat >"$root/etc/dpkg/dpkg.cfg.d/wireroom-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
DPKG
cat >"$root/etc/apt/apt.conf.d/wireroom-slim" <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Binary::apt::APT::Keep-Downloaded-Packages "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
# The build machine's name and resolver are not the image's (Docker provides both at run time).
: >"$root/etc/hostname"
: >"$root/etc/resolv.conf"

mkdir -p "$(dirname "$out")"
tar --numeric-owner -C "$root" -cf "$out.tmp" . && mv "$out.tmp" "$out"
