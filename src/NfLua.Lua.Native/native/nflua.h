/*
 * NfLua's native API over its Lua build: states with a capped allocator and a per-call
 * instruction budget. Mirrored in C# by NfLua.Lua.Native's Interop folder: keep them in step.
 */
#ifndef NFLUA_H
#define NFLUA_H

#include <stddef.h>
#include "lua.h"

/* Shared by every thread (coroutine) of one state; the host reads and writes it directly. */
typedef struct nflua_limits {
  size_t mem_used;          /* bytes currently allocated by the state */
  size_t mem_limit;         /* allocations past this fail (0: no limit) */
  size_t mem_peak;          /* highest mem_used seen */
  long long mem_refusals;   /* allocations refused because of mem_limit */
  int mem_suspended;        /* > 0 while the host pushes values: never refuse then */
  int budget_enabled;       /* 0: instructions are not counted */
  long long budget_left;    /* instructions left in this call; <= 0: exhausted (sticky) */
  long long budget_exhaustions; /* times the budget ran out */
  long long time_limit_ns;  /* > 0: a call may run this long (checked at hook events) */
  long long call_started_ns; /* set at the first hook event of a call; the host clears it when arming */
  long long time_exhaustions; /* times a call ran out of time */
} nflua_limits;

/* Instructions between two count-hook events (the budget's granularity). */
#define NFLUA_HOOK_STEP 128

/*
 * A limited state: lua_newstate(nflua_alloc, nflua_limits_new()), then nflua_attach before any
 * coroutine exists (installs the budget hook), then set mem_limit and the budget. Before
 * lua_close, clear mem_limit and budget_enabled; after it, nflua_limits_free.
 */
LUA_API void *nflua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
LUA_API nflua_limits *nflua_limits_new(void);
LUA_API void nflua_limits_free(nflua_limits *lim);
LUA_API int nflua_attach(lua_State *L);
LUA_API nflua_limits *nflua_getlimits(lua_State *L);
LUA_API int nflua_abi_version(void);

#endif
