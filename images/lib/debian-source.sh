#!/usr/bin/env bash
# Sourced by the build scripts that rebuild a Debian package from Debian's own source.
# debian_source PACKAGE VERSION DIR [--skip-patches]: the source of PACKAGE=VERSION from the
# archive apt uses, unpacked into DIR/src (Debian's patches applied unless --skip-patches is given).
# A deb-src entry mirroring apt's own is added when missing. Root (apt).
debian_source() {
  local package="$1" version="$2" dir="$3" extract=(-x) src_list=/etc/apt/sources.list.d/wireroom-deb-src.sources
  [ "${4:-}" != --skip-patches ] || extract=(--skip-patches -x)
  # The same entry under the project's old name (netlab): apt warns about every duplicate.
  if [ -f /etc/apt/sources.list.d/netlab-deb-src.sources ] && [ -f "$src_list" ]; then rm -f /etc/apt/sources.list.d/netlab-deb-src.sources; fi
  if ! apt-cache showsrc "$package=$version" 2>/dev/null | grep -q "^Version: $version$"; then
    if [ ! -f "$src_list" ]; then
      local f
      {
        for f in /etc/apt/sources.list.d/*.sources; do
          [ -f "$f" ] && [ "$f" != "$src_list" ] || continue
          awk 'BEGIN{RS="";ORS="\n\n"} /Types:[^\n]*deb/ && !/Types:[^\n]*deb-src/ && /URIs:[^\n]*debian/ {sub(/Types:[^\n]*/, "Types: deb-src"); print}' "$f"
        done
        if [ -f /etc/apt/sources.list ]; then
          grep -E '^deb .*debian' /etc/apt/sources.list | while read -r _ rest; do
            # one-line entries as deb822: URIs, suite, components
            set -- $rest
            [[ "$1" == \[* ]] && shift
            printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n\n' "$1" "$2" "${*:3}"
          done
        fi
      } > "$src_list"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
  (cd "$dir" && apt-get source -qq --download-only "$package=$version" >/dev/null 2>&1) ||
    { echo "cannot fetch Debian's $package source $version (is a deb-src entry for Debian's archive configured?)" >&2; return 1; }
  # apt checked the files against the archive's signed index; dpkg-source has no keyring for the .dsc.
  dpkg-source "${extract[@]}" "$dir/${package}_"*.dsc "$dir/src" >"$dir/dpkg-source.log" 2>&1 || { cat "$dir/dpkg-source.log" >&2; return 1; }
}
