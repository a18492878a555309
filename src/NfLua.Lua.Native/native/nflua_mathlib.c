/*
 * The integer 'math' library, in place of Lua's lmathlib.c (whose trigonometry, pi, huge and
 * float random numbers have no meaning when every number is an integer). It must be C: Lua
 * libraries are lua_CFunctions, and linit.c's luaL_openlibs opens it by this name.
 */
#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

static int math_abs(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  lua_pushinteger(L, n < 0 ? (lua_Integer)(0u - (lua_Unsigned)n) : n);  /* wraps like Lua */
  return 1;
}

/* floor and ceil of an integer are the integer itself; kept so portable scripts still run. */
static int math_identity(lua_State *L) {
  lua_pushinteger(L, luaL_checkinteger(L, 1));
  return 1;
}

static int math_fmod(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  if (b == 0) return luaL_argerror(L, 2, "zero");
  lua_pushinteger(L, b == -1 ? 0 : a % b);  /* C's truncated remainder, as Lua's math.fmod */
  return 1;
}

static int math_minmax(lua_State *L, int want_max) {
  int n = lua_gettop(L);
  lua_Integer best = luaL_checkinteger(L, 1);
  nflua_budget_charge(L, (unsigned long long)n / 4);  /* a unit per four arguments */
  for (int i = 2; i <= n; i++) {
    lua_Integer v = luaL_checkinteger(L, i);
    if (want_max ? v > best : v < best) best = v;
  }
  lua_pushinteger(L, best);
  return 1;
}

static int math_max(lua_State *L) { return math_minmax(L, 1); }
static int math_min(lua_State *L) { return math_minmax(L, 0); }

static int math_tointeger(lua_State *L) {
  int ok;
  lua_Integer n = lua_tointegerx(L, 1, &ok);
  if (ok) lua_pushinteger(L, n);
  else {
    luaL_checkany(L, 1);
    luaL_pushfail(L);
  }
  return 1;
}

static int math_type(lua_State *L) {
  luaL_checkany(L, 1);
  if (lua_type(L, 1) == LUA_TNUMBER) lua_pushliteral(L, "integer");
  else luaL_pushfail(L);
  return 1;
}

static int math_ult(lua_State *L) {
  lua_Integer a = luaL_checkinteger(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
  return 1;
}

static const luaL_Reg mathlib[] = {
  {"abs", math_abs},
  {"ceil", math_identity},
  {"floor", math_identity},
  {"fmod", math_fmod},
  {"max", math_max},
  {"min", math_min},
  {"tointeger", math_tointeger},
  {"type", math_type},
  {"ult", math_ult},
  {"maxinteger", NULL},
  {"mininteger", NULL},
  {NULL, NULL}
};

LUAMOD_API int luaopen_math(lua_State *L) {
  luaL_newlib(L, mathlib);
  lua_pushinteger(L, LUA_MAXINTEGER);
  lua_setfield(L, -2, "maxinteger");
  lua_pushinteger(L, LUA_MININTEGER);
  lua_setfield(L, -2, "mininteger");
  return 1;
}
