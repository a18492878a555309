#!/usr/bin/env bash
# Builds NfLua's integer-only liblua54.so:
#   build-lua.sh WORK_DIR OUTPUT_FILE
# fetches and checks the pinned Lua sources (fetch-lua-sources.sh), lays NfLua's luaconf.h over
# Lua's, applies NfLua's patches in order (patches/NN-*.patch), and links the core, the safe
# standard libraries and NfLua's C (ABI shim, clock, data module, host trampoline, limits, integer math) into one shared library.
# -fno-semantic-interposition: calls between the library's own exported functions (lauxlib and the
# libraries call lua_* for everything) go direct and may be inlined, not through the PLT.
# NFLUA_LUA_CFLAGS adds compiler flags (scripts/asan builds an AddressSanitizer library with it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${1:?usage: build-lua.sh WORK_DIR OUTPUT_FILE}
out=${2:?usage: build-lua.sh WORK_DIR OUTPUT_FILE}
cc=${CC:-gcc}

fail() { printf 'nflua: %s\n' "$*" >&2; exit 1; }
command -v "$cc" >/dev/null || fail "no C compiler ('$cc'): run 'apt-get install build-essential' (or scripts/setup)"
command -v patch >/dev/null || fail "'patch' is missing: run 'apt-get install patch' (or scripts/setup)"

mkdir -p "$work"
"$here/fetch-lua-sources.sh" "$work/lua"

src=$work/lua/src
mv "$src/luaconf.h" "$src/luaconf_lua.h"
cp "$here/nflua_luaconf.h" "$src/luaconf.h"
# Debian's source packages patch luaconf.h to include this generated header (upstream's does not).
multiarch=$("$cc" -print-multiarch 2>/dev/null || true)
printf '#define DEB_HOST_MULTIARCH "%s"\n' "${multiarch:-x86_64-linux-gnu}" >"$src/lua5.4-deb-multiarch.h"
for p in "$here"/patches/*.patch; do
  (cd "$work/lua" && patch -p1 --fuzz=0 --quiet <"$p") || fail "patch $(basename "$p") does not apply to the pinned Lua sources"
done

# lmathlib.c is replaced by nflua_mathlib.c; lua.c and luac.c are programs.
core="lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser lstate
      lstring ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib ldblib liolib loadlib loslib
      lstrlib ltablib lutf8lib linit"
objs=()
mkdir -p "$work/obj"
cflags=(-std=gnu99 -O2 -fPIC -fno-semantic-interposition -fno-strict-aliasing -Wall -Wextra -Wno-unused-parameter -Wno-overflow -Wno-tautological-compare
        -DLUA_USE_LINUX -DNDEBUG -I"$src" -I"$here" ${NFLUA_LUA_CFLAGS:-})
for f in $core; do
  "$cc" "${cflags[@]}" -c "$src/$f.c" -o "$work/obj/$f.o"
  objs+=("$work/obj/$f.o")
done
for f in nflua_abi nflua_clock nflua_data nflua_gate nflua_host nflua_limits nflua_mathlib; do  # nflua_core.h is included by the patched core
  "$cc" "${cflags[@]}" -Werror -c "$here/$f.c" -o "$work/obj/$f.o"
  objs+=("$work/obj/$f.o")
done

mkdir -p "$(dirname "$out")"
"$cc" -shared -Wl,-soname,liblua54.so -Wl,--no-undefined ${NFLUA_LUA_CFLAGS:-} -o "$out.tmp" "${objs[@]}" -lm -ldl -lpthread
mv "$out.tmp" "$out"
echo "nflua: built $out"
