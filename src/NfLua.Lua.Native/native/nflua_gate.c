/*
 * Message gates: nflua.alert and nflua.log as C functions that refuse without a call into the host while the rule's
 * limit refuses. The host (MessageGate in NfLua.Scripting) owns each nflua_gate (memory that never moves), closes it
 * when the rule's token bucket runs dry and opens it when the bucket holds a token again; behind a closed gate a call
 * is a counter increment here, read by the host as the channel's suppressed count. One writer: the rule's thread.
 */
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"
#include "nflua.h"

/* Upvalues of a gated host function: the host function as light userdata, the host's three (context, data metatable,
 * methods) where every host function has them (nflua_host.c's layout), then the gate. The host function is called
 * directly, so it sees the same upvalues and arguments. */
LUA_API int nflua_gated(lua_State *L) {
  nflua_gate *g = (nflua_gate *)lua_touserdata(L, lua_upvalueindex(5));
  if (g->closed) {
    g->refused++;
    return 0;
  }
  lua_CFunction host = (lua_CFunction)(uintptr_t)lua_touserdata(L, lua_upvalueindex(NFLUA_HOST_FUNCTION_UPVALUE));
  if (host(L) == 0) return 0;
  /* The host returned an error message (it never raises): raised here, blamed on the caller's line. */
  luaL_where(L, 1);
  lua_insert(L, -2);
  lua_concat(L, 2);
  return lua_error(L);
}

/* nflua.alerting() / nflua.logging(): true when the gate is open; false counts the message as refused. */
LUA_API int nflua_gate_ask(lua_State *L) {
  nflua_gate *g = (nflua_gate *)lua_touserdata(L, lua_upvalueindex(1));
  if (g->closed) {
    g->refused++;
    lua_pushboolean(L, 0);
  } else {
    lua_pushboolean(L, 1);
  }
  return 1;
}
