/*
 * Host functions: the C# functions a rule calls ([UnmanagedCallersOnly] function pointers).
 *
 * Lua raises an error with longjmp, and a longjmp must never cross a .NET frame (the runtime's
 * frames would be skipped: no unwinding, no GC bookkeeping, a corrupt thread). So host code never
 * raises: a host function that wants to raise returns NFLUA_HOST_RAISE with the error value on
 * top of the stack, and the trampoline below, a plain lua_CFunction, raises it once the C# frame
 * has returned. Every host function is pushed as a trampoline closure (nflua_pushhost) whose first
 * upvalue is the C# function; the host's own upvalues follow. docs/internals.md, "Host functions".
 */
#include "lua.h"
#include "lauxlib.h"
#include "lobject.h"
#include "lstate.h"  /* the two accessors below read a call's arguments directly */
#include "nflua.h"

static int trampoline(lua_State *L) {
  nflua_hostfunction f =
      (nflua_hostfunction)lua_touserdata(L, lua_upvalueindex(NFLUA_HOST_FUNCTION_UPVALUE));
  int n = f(L);
  if (n >= 0) return n;
  /* A message gets the caller's position, as error(message, 2) in a Lua wrapper gave it. */
  if (lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_rotate(L, -2, 1);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

LUA_API void nflua_pushhost(lua_State *L, nflua_hostfunction f, int n) {
  lua_pushlightuserdata(L, (void *)f);
  lua_rotate(L, -(n + 1), 1);
  lua_pushcclosure(L, trampoline, n + 1);
}

/* The argument at a positive index of the running C function, or NULL past the top. */
static const TValue *argument(lua_State *L, int idx) {
  StkId o = L->ci->func.p + idx;
  return o < L->top.p ? s2v(o) : NULL;
}

LUA_API void *nflua_touserdata_mt(lua_State *L, int idx, const void *mt) {
  int same;
  if (mt == NULL) return NULL;
  if (idx > 0) {  /* the hot path (a handle passed to a host function): no API call */
    const TValue *o = argument(L, idx);
    if (o == NULL || !ttisfulluserdata(o) || (const void *)uvalue(o)->metatable != mt) return NULL;
    return getudatamem(uvalue(o));
  }
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  same = lua_topointer(L, -1) == mt;
  lua_pop(L, 1);
  return same ? lua_touserdata(L, idx) : NULL;
}

LUA_API const char *nflua_tostringonly(lua_State *L, int idx, size_t *len) {
  if (idx > 0) {
    const TValue *o = argument(L, idx);
    if (o == NULL || !ttisstring(o)) return NULL;
    *len = tsslen(tsvalue(o));
    return getstr(tsvalue(o));
  }
  return lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, len) : NULL;
}
