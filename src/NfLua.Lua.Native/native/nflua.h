/*
 * NfLua's native API over its Lua build: states with a capped allocator and a per-call budget
 * that the VM, the C library and the allocator all charge. Mirrored in C# by NfLua.Lua.Native's
 * Interop folder (NfLuaLimits.cs, NfLuaNative.cs): keep them in step. docs/internals.md explains
 * the cost model.
 */
#ifndef NFLUA_H
#define NFLUA_H

#include <stddef.h>
#include "lua.h"

/* Why a call was stopped (nflua_limits.stopped_by). */
#define NFLUA_RUNNING      0
#define NFLUA_STOP_BUDGET  1  /* instructions and charged C work */
#define NFLUA_STOP_TIME    2  /* the call's wall-clock time */

/* Shared by every thread (coroutine) of one state; the host reads and writes it directly. */
typedef struct nflua_limits {
  size_t mem_used;          /* bytes currently allocated by the state */
  size_t mem_limit;         /* allocations past this fail (0: no limit) */
  size_t mem_peak;          /* highest mem_used seen */
  long long mem_refusals;   /* allocations refused because of mem_limit */
  int host_depth;           /* > 0 while host code runs inside a call: never refuse memory, never raise */
  int budget_enabled;       /* 0: nothing is counted or stopped (between calls, while closing) */
  long long budget_left;    /* units left in this call; <= 0: spent, and the call stops (sticky) */
  long long budget_exhaustions; /* calls stopped because the budget ran out */
  long long time_limit_ns;  /* > 0: a call may run this long */
  long long call_started_ns; /* the monotonic clock when the call was armed */
  long long time_exhaustions; /* calls stopped because their time ran out */
  int stopped_by;           /* NFLUA_RUNNING or why the current call was stopped */
  int strict;               /* a rule's state: weak tables are held strongly (no __mode work in the GC) */
  char *cstack_floor;       /* C frames below this address raise "C stack overflow" (NULL: unchecked) */
  int cstack_floor_lowered; /* the floor was lowered once this call to let an overflow unwind */
  long long deadline_ns;    /* call_started_ns + time_limit_ns (0: no time limit) */
  long long charged;        /* units the current call was charged (instructions included) */
  char *armed_at;           /* the frame that armed the last call, and its floor (reused while equal) */
  char *armed_floor;
} nflua_limits;

/* Instructions between two count-hook events (the budget's granularity). */
#define NFLUA_HOOK_STEP 128

/* Charged units between two looks at the clock: a unit of charged C work costs up to ~100 times
 * a VM instruction, so every 1024 keeps clock reads below 1% of a cheap loop and the time between
 * two reads below a few tens of microseconds. */
#define NFLUA_CLOCK_STRIDE 1024  /* a power of two (nflua_core.h tests blocks by XOR) */

/*
 * A limited state: lua_newstate(nflua_alloc, nflua_limits_new()), then nflua_attach before any
 * coroutine exists (installs the budget hook), then set mem_limit. Around each call: nflua_arm,
 * the call, nflua_disarm. Before lua_close, clear mem_limit and budget_enabled; after it,
 * nflua_limits_free.
 */
LUA_API void *nflua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
LUA_API nflua_limits *nflua_limits_new(void);
LUA_API void nflua_limits_free(nflua_limits *lim);
LUA_API int nflua_attach(lua_State *L);
LUA_API nflua_limits *nflua_getlimits(lua_State *L);
LUA_API int nflua_abi_version(void);
LUA_API size_t nflua_limits_size(void);  /* the host checks its mirror against it */
/* Starts a call: the budget, the clock (read now), the C-stack floor of the calling thread. */
LUA_API void nflua_arm(nflua_limits *lim, long long budget);
/* Ends a call: stops counting; returns the call's wall-clock time in nanoseconds. */
LUA_API long long nflua_disarm(nflua_limits *lim);
/* Host code inside a call charges its own O(n) work before doing it: 'units' of budget, and
 * 'ns' of time it could take at worst. Never raises; returns 0 when the call cannot pay (or is
 * already stopped): the host then skips the work, and the call stops at its next instruction. */
LUA_API int nflua_host_charge(lua_State *L, long long units, long long ns);
/* Whether a full (emergency) collection may run now; if so, its cost is charged to the call. */
LUA_API int nflua_emergency_gc_allowed(lua_State *L);
/* The clock the limits use, in nanoseconds on CLOCK_MONOTONIC's scale (nflua_clock.c). */
LUA_API long long nflua_now_ns(void);
/* Which clock that is: NFLUA_CLOCK_TSC (the invariant time-stamp counter, calibrated) or
 * NFLUA_CLOCK_MONOTONIC (clock_gettime). */
#define NFLUA_CLOCK_MONOTONIC 0
#define NFLUA_CLOCK_TSC       1
LUA_API int nflua_clock_source(void);

/*
 * Host functions (nflua_host.c). A host function is a C function of the host that must not raise
 * a Lua error (its caller's frames cannot be unwound by longjmp: .NET code). It returns its
 * results as a lua_CFunction does, or NFLUA_HOST_RAISE with the error value on top of the stack:
 * the trampoline raises it once the host function has returned, with the caller's position
 * (luaL_where(L, 1)) before a string message.
 */
#define NFLUA_HOST_RAISE (-1)
/* The trampoline's upvalue that holds the host function; the host's own upvalues follow it. */
#define NFLUA_HOST_FUNCTION_UPVALUE 1
typedef int (*nflua_hostfunction)(lua_State *L);
/* Pops n values and pushes a trampoline closure over f with them as upvalues 2 to n + 1. */
LUA_API void nflua_pushhost(lua_State *L, nflua_hostfunction f, int n);
/* The block of the full userdata at idx when its metatable is the table mt (lua_topointer), else
 * NULL. Never raises; leaves the stack as it was. */
LUA_API void *nflua_touserdata_mt(lua_State *L, int idx, const void *mt);
/* The bytes and length of the string at idx, or NULL for any other value (a number is not
 * converted, unlike lua_tolstring). Never raises. */
LUA_API const char *nflua_tostringonly(lua_State *L, int idx, size_t *len);

/* A rule's message gate (nflua_gate.c): owned by the host, in memory that never moves. */
typedef struct nflua_gate {
  long long refused;  /* calls refused behind the closed gate (the host adds its own refusals) */
  long long closed;   /* nonzero: refuse without calling the host */
} nflua_gate;
/* A C closure with upvalues (host function, context, metatable, methods, gate: the host function's own upvalues at
 * the places every host function has them): the host function unless the gate is closed; an error message it
 * returns is raised with the caller's position. */
LUA_API int nflua_gated(lua_State *L);
/* A C closure with upvalue (gate): whether the gate is open; a refusal is counted. */
LUA_API int nflua_gate_ask(lua_State *L);

/*
 * The data module (nflua_data.c): luadata's operations on windows over bytes, in C. Mirrored in C#
 * by NfLua.Scripting (Interop/PacketRegion.cs, DataObject.cs and the first fields of
 * RuleContext.cs): keep them in step (the host checks them against nflua_data_sizes at start).
 */
/* Bytes a call lends the rule (the packet, a stream): objects over it compare generations, so an
 * object kept past its call reads nil and never touches bytes that are gone. */
typedef struct nflua_region {
  unsigned char *data;
  long long length;
  unsigned long long generation;  /* moves on when the call ends */
  int modified;                   /* set by a write */
  int readonly;                   /* nonzero: writes raise (a stream) */
} nflua_region;
/* A data object: the block of a full userdata (user values NFLUA_DATA_OWNER_UV and
 * NFLUA_DATA_LAYOUT_UV), or for the packet the host's own (reached through a light-userdata token
 * holding (generation << 1) | 1). */
typedef struct nflua_data {
  unsigned char *owned;   /* bytes owned by a userdata (data.new), or NULL... */
  nflua_region *region;   /* ...bytes of a region, valid while its generation is this one's */
  unsigned long long generation;
  long long offset;       /* the window: offset and length into the bytes */
  long long length;
} nflua_data;
#define NFLUA_DATA_LAYOUT_UV 1  /* the layout applied with d:layout (every object has it) */
#define NFLUA_DATA_OWNER_UV  2  /* the userdata that owns the bytes: objects over owned bytes only */
/* The start of a rule's context: the data functions' upvalue 2 (a light userdata) points at it. */
typedef struct nflua_datactx {
  nflua_region packet;        /* the current packet (data NULL between calls) */
  nflua_data packet_object;   /* what the current call's token resolves to */
  nflua_data stale;           /* what an earlier call's token resolves to: no bytes */
  int layout_slot;            /* registry slot of the layout applied to the packet */
  int layout_set;             /* nonzero once a call set it (the host resets it) */
} nflua_datactx;
/* lua_CFunctions with the upvalues every function of a rule has (false, context, data metatable,
 * data methods): the data metatable's __index, __newindex, __len, __tostring, and d:segment. */
LUA_API int nflua_data_index(lua_State *L);
LUA_API int nflua_data_newindex(lua_State *L);
LUA_API int nflua_data_len(lua_State *L);
LUA_API int nflua_data_tostring(lua_State *L);
LUA_API int nflua_data_segment(lua_State *L);
/* Same upvalues; (layout metatable, build function) -> d:layout as a C closure. */
LUA_API int nflua_data_layoutmethod(lua_State *L);
/* Fills out[0..n) with the sizes and offsets the host mirrors; returns how many there are. */
LUA_API int nflua_data_sizes(long long *out, int n);

#endif
