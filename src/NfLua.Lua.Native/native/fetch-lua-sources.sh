#!/usr/bin/env bash
# Fetches the Lua sources pinned in lua-sources.lock from the lua5.4 directory of Debian's pool into a
# cache, checks every file against its pinned SHA-256 sum, and unpacks them into $1: with dpkg-source
# when the lock names a .dsc (a Debian source package, Debian's patches applied), else by unpacking the
# one upstream tarball it names (the pool keeps upstream's own lua-5.4.x.tar.gz as lua5.4_5.4.x.orig.tar.gz).
#
#   fetch-lua-sources.sh DEST_DIR
#
# Environment:
#   NFLUA_CACHE_DIR        where downloads are kept (default: <repo>/.cache)
#   NFLUA_LUA_LOCK         another lock file (the tests use it to prove a mismatch fails)
#   NFLUA_DEBIAN_MIRRORS   space-separated archive base URLs to try before apt's own sources
#   NFLUA_OFFLINE=1        never download: use the cache only
#
# No mirror's name is written here: the base URLs come from this machine's apt configuration.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
dest=${1:?usage: fetch-lua-sources.sh DEST_DIR}
lock=${NFLUA_LUA_LOCK:-$here/lua-sources.lock}
cache=${NFLUA_CACHE_DIR:-$repo/.cache}/lua-sources
pool_path=pool/main/l/lua5.4

fail() { printf 'nflua: %s\n' "$*" >&2; exit 1; }

[ -r "$lock" ] || fail "missing $lock: it pins the Lua sources; restore it from git"
command -v sha256sum >/dev/null || fail "'sha256sum' is missing: run 'apt-get install coreutils'"

# Archive base URLs, Debian's main archive first (see scripts/debian-mirrors).
mirrors() { bash "$repo/scripts/debian-mirrors"; }

download() { # URL TARGET
  if [ -x /usr/lib/apt/apt-helper ]; then
    /usr/lib/apt/apt-helper download-file "$1" "$2" >/dev/null 2>&1
  elif command -v curl >/dev/null; then
    curl -fsSL -o "$2" "$1"
  else
    return 1
  fi
}

mkdir -p "$cache"
files=()
while read -r name sum; do
  case "$name" in ''|\#*) continue ;; esac
  files+=("$name")
  target=$cache/$name
  if [ ! -f "$target" ] && [ "${NFLUA_OFFLINE:-0}" = 1 ]; then
    fail "$name is not in $cache and NFLUA_OFFLINE=1 forbids downloading it.
  Fix: unset NFLUA_OFFLINE, or copy the file (matching the sum in $lock) into $cache."
  fi
  if [ ! -f "$target" ]; then
    got=
    for base in $(mirrors | awk '!seen[$0]++'); do
      if download "${base%/}/$pool_path/$name" "$target.part"; then
        mv "$target.part" "$target"; got=1; break
      fi
      rm -f "$target.part"
    done
    [ -n "$got" ] || fail "could not download $name from any Debian mirror in apt's sources.
  Fix: check the network, or put the file in $cache by hand (it must match the sum in $lock),
  or name a mirror with NFLUA_DEBIAN_MIRRORS. If Debian removed this revision from its pool,
  pin the current lua5.4 revision in $lock."
  fi
  actual=$(sha256sum "$target" | cut -d' ' -f1)
  if [ "$actual" != "$sum" ]; then
    fail "SHA-256 mismatch for $name
  expected $sum (pinned in $lock)
  got      $actual ($target)
  The cached or downloaded file is not the one NfLua was built and tested with.
  Fix: delete $target and build again; if it still differs, the archive changed: check the new
  file against Debian's signed .dsc (or, for an upstream tarball, the sum lua.org publishes)
  before updating the sums in $lock."
  fi
done <"$lock"

dsc= orig=
for f in "${files[@]}"; do
  case "$f" in
    *.dsc) dsc=$f ;;
    *.orig.tar.*) orig=$f ;;
  esac
done

rm -rf "$dest"
mkdir -p "$dest"
if [ -n "$dsc" ]; then
  command -v dpkg-source >/dev/null || fail "'dpkg-source' is missing: run 'apt-get install dpkg-dev' (or scripts/setup)"
  rmdir "$dest"
  # Our own sums above cover every file, so dpkg-source need not find Debian's keyring.
  dpkg-source --no-check -x "$cache/$dsc" "$dest" >/dev/null \
    || fail "dpkg-source could not unpack $dsc into $dest"
elif [ -n "$orig" ]; then
  tar -xf "$cache/$orig" -C "$dest" --strip-components=1 \
    || fail "could not unpack $orig into $dest"
  [ -f "$dest/src/lua.h" ] || fail "$orig holds no src/lua.h: it is not a Lua source tarball"
else
  fail "$lock names neither a .dsc nor an .orig.tar file"
fi
echo "nflua: Lua sources ready in $dest"
