#!/bin/sh
# Fetches a package tarball from the npm registry, checks it against its sha512 integrity (the
# registry's dist.integrity) and unpacks it into OUT_DIR.
# Usage: fetch-npm-tarball NAME VERSION INTEGRITY OUT_DIR
set -eu
name="$1" version="$2" integrity="$3" out="$4"
registry="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
tgz="$(mktemp)"
curl -fsSL --retry 3 -o "$tgz" "${registry%/}/$name/-/$name-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "fetch-npm-tarball: $name@$version has integrity $actual, expected $integrity" >&2
  exit 1
fi
mkdir -p "$out"
tar -xzf "$tgz" -C "$out" --strip-components=1 --no-same-owner
rm -f "$tgz"
