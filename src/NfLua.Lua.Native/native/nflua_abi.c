/*
 * The six functions KeraLua imports with 'double' in their signatures. The core was compiled
 * against integer versions of them (see nflua_luaconf.h); these keep the double ABI so that a
 * value passed in XMM0 is read from XMM0, and convert at the boundary: doubles are truncated
 * toward zero and saturated, NaN becomes 0.
 */
#include <math.h>
#include <stddef.h>

#include "lua.h"
#include "lauxlib.h"

#undef lua_pushnumber
#undef lua_tonumberx
#undef lua_version
#undef luaL_checknumber
#undef luaL_optnumber
#undef luaL_checkversion_

_Static_assert(LUA_EXTRASPACE == sizeof(void *), "KeraLua keeps a GCHandle in the extra space");
_Static_assert(LUA_IDSIZE == 60, "KeraLua's lua_Debug layout has a 60-byte short_src");
_Static_assert(sizeof(lua_Number) == 8 && (lua_Number)1 / 2 == 0, "lua_Number must be a 64-bit integer");

static lua_Integer from_double(double d) {
  if (isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return LUA_MAXINTEGER;
  if (d <= -9223372036854775808.0) return LUA_MININTEGER;
  return (lua_Integer)d;  /* C truncates toward zero */
}

LUA_API void lua_pushnumber(lua_State *L, double n) {
  nflua_int_pushnumber(L, from_double(n));
}

LUA_API double lua_tonumberx(lua_State *L, int idx, int *isnum) {
  return (double)nflua_int_tonumberx(L, idx, isnum);
}

LUA_API double lua_version(lua_State *L) {
  return (double)nflua_int_version(L);
}

LUALIB_API double luaL_checknumber(lua_State *L, int arg) {
  return (double)nflua_int_checknumber(L, arg);
}

LUALIB_API double luaL_optnumber(lua_State *L, int arg, double def) {
  return (double)nflua_int_optnumber(L, arg, from_double(def));
}

LUALIB_API void luaL_checkversion_(lua_State *L, double ver, size_t sz) {
  nflua_int_checkversion_(L, from_double(ver), sz);
}
