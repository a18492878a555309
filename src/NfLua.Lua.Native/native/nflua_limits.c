/*
 * The limits a rule runs under, enforced natively: a capped allocator (no managed transition
 * per allocation) and an instruction budget counted by a count hook. The budget is per state,
 * shared by its coroutines (a coroutine inherits the hook when it is created, and every thread
 * charges the same counter), and sticky: once spent, the hook fires on every instruction of the
 * thread that hits it and raises again, so pcall cannot swallow it. The C library charges the
 * same budget from its long loops (nflua_budget_charge), which the hook cannot see.
 * Integer arithmetic helpers for the integer-only build live here too.
 */
#include <stdlib.h>
#include <time.h>

#include "lua.h"
#include "lauxlib.h"
#include "nflua.h"

#define NFLUA_ABI 1

LUA_API void *nflua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  nflua_limits *lim = (nflua_limits *)ud;
  size_t old = ptr != NULL ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    lim->mem_used -= old;
    return NULL;
  }
  if (nsize > old && lim->mem_limit != 0 && lim->mem_suspended == 0 &&
      lim->mem_used - old + nsize > lim->mem_limit) {
    lim->mem_refusals++;
    return NULL;  /* Lua raises "not enough memory"; the state stays usable */
  }
  void *p = realloc(ptr, nsize);
  if (p == NULL) {
    if (nsize <= old) return ptr;  /* Lua assumes shrinking never fails */
    return NULL;
  }
  lim->mem_used = lim->mem_used - old + nsize;
  if (lim->mem_used > lim->mem_peak) lim->mem_peak = lim->mem_used;
  return p;
}

static nflua_limits *limits_of(lua_State *L) {
  void *ud;
  return lua_getallocf(L, &ud) == nflua_alloc ? (nflua_limits *)ud : NULL;
}

/* Raises msg with the position of the Lua code 'level' frames up (0: the running function). */
static int raise_at(lua_State *L, int level, const char *msg) {
  luaL_where(L, level);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return lua_error(L);
}

static long long monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* call_started_ns == -1 marks a call stopped by its time limit (until the host re-arms). */
#define STOPPED_BY_TIME (-1LL)

/* Spends 'units' of the budget; on the transition to spent, counts why. */
static void spend(nflua_limits *lim, long long units) {
  int was_left = lim->budget_left > 0;
  lim->budget_left -= units;
  if (was_left && lim->budget_left <= 0) lim->budget_exhaustions++;
}

/* The wall-clock limit catches what instruction counts cannot price (a slow machine, time in
 * C between charges). Its clock starts at the first hook event of the call, so cheap calls
 * never read the clock. Running out of time also spends the budget: the stop is sticky. */
static void check_time(nflua_limits *lim) {
  if (lim->time_limit_ns <= 0 || lim->budget_left <= 0) return;
  long long now = monotonic_ns();
  if (lim->call_started_ns == 0) lim->call_started_ns = now;
  else if (now - lim->call_started_ns > lim->time_limit_ns) {
    lim->time_exhaustions++;
    lim->call_started_ns = STOPPED_BY_TIME;
    lim->budget_left = 0;
  }
}

static int stop(lua_State *L, nflua_limits *lim, int level) {
  return raise_at(L, level, lim->call_started_ns == STOPPED_BY_TIME
                                ? "time limit exceeded" : "instruction limit exceeded");
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled) return;
  int step = lua_gethookcount(L);
  check_time(lim);
  spend(lim, step);
  if (lim->budget_left <= 0) {
    /* Sticky: from now on this thread stops at every instruction until the host re-arms. */
    if (step != 1) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    stop(L, lim, 0);  /* a hook runs in the frame it interrupted */
  }
  else if (step != NFLUA_HOOK_STEP) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, NFLUA_HOOK_STEP);  /* re-armed: back to the cheap step */
  }
}

/* Units charged by C loops between two looks at the clock: a unit of table.move costs ~100 times
 * a VM instruction, so without a look the time limit would wait for the whole budget (200 ms for
 * the default million); every 1024 units keeps the clock reads below 1% of a cheap loop's time. */
#define NFLUA_CHARGE_CLOCK_STRIDE 1024

void nflua_budget_charge(lua_State *L, unsigned long long units) {
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled) return;
  if (lim->budget_left / NFLUA_CHARGE_CLOCK_STRIDE != (lim->budget_left - (long long)units) / NFLUA_CHARGE_CLOCK_STRIDE)
    check_time(lim);  /* out of time: the budget is spent and the stop below says why */
  spend(lim, (long long)units);
  if (lim->budget_left <= 0) stop(L, lim, 1);  /* charged from a C function */
}

LUA_API nflua_limits *nflua_limits_new(void) {
  return (nflua_limits *)calloc(1, sizeof(nflua_limits));
}

LUA_API void nflua_limits_free(nflua_limits *lim) {
  free(lim);
}

LUA_API int nflua_attach(lua_State *L) {
  if (limits_of(L) == NULL) return 0;
  /* On the main thread before any coroutine exists, so every coroutine inherits it. */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, NFLUA_HOOK_STEP);
  return 1;
}

LUA_API nflua_limits *nflua_getlimits(lua_State *L) {
  return limits_of(L);
}

LUA_API int nflua_abi_version(void) {
  return NFLUA_ABI;
}

/* Floor division, as Lua's '//' on integers; the quotient of LUA_MININTEGER by -1 wraps. */
long long nflua_int_floordiv(lua_State *L, long long a, long long b) {
  if (b == 0) return raise_at(L, 0, "attempt to divide by zero");
  if (b == -1) return (long long)(0u - (unsigned long long)a);
  long long q = a / b;
  if ((a % b != 0) && ((a ^ b) < 0)) q -= 1;
  return q;
}

long long nflua_int_floormod(lua_State *L, long long a, long long b) {
  if (b == 0) return raise_at(L, 0, "attempt to perform 'n%0'");
  if (b == -1) return 0;
  long long r = a % b;
  if (r != 0 && ((r ^ b) < 0)) r += b;
  return r;
}

/* Integer power by squaring; overflow wraps like Lua's integer arithmetic. */
long long nflua_int_pow(lua_State *L, long long a, long long b) {
  if (b < 0) return raise_at(L, 0, "attempt to raise an integer to a negative power");
  unsigned long long base = (unsigned long long)a, result = 1;
  while (b != 0) {
    if (b & 1) result *= base;
    base *= base;
    b >>= 1;
  }
  return (long long)result;
}

int nflua_float_format_error(lua_State *L) {
  return luaL_error(L, "invalid conversion: numbers are integers (use %%d)");
}
