/*
 * The limits a rule runs under, enforced natively (docs/internals.md, "The cost model"):
 *  - a capped allocator (no managed transition per allocation);
 *  - one budget per call, shared by every thread of the state, in units: a VM instruction costs
 *    one (counted by a count hook every NFLUA_HOOK_STEP), a C function call one, and the C code
 *    that loops (the string, table and utf8 libraries, table resizing, string comparison...)
 *    charges in proportion to the work through nflua_budget_charge, as does every allocation;
 *  - the call's wall-clock time, read when the host arms the call and again at hook events and
 *    every NFLUA_CLOCK_STRIDE charged units;
 *  - a C-stack floor taken when the call is armed.
 * A stop is sticky for the whole state: the thread that hits it stops at every instruction, every
 * later function call of any thread raises again (nflua_oncall), and a resumer whose coroutine was
 * stopped stops too, so neither pcall, __close handlers nor coroutines can run on after it.
 * Integer arithmetic helpers for the integer-only build live here too.
 */
#define _GNU_SOURCE  /* pthread_getattr_np */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "lua.h"
#include "lauxlib.h"
#include "lstate.h"  /* lua_State for luaD_throw: a stop raises without the message handler */
#include "ldo.h"
#include "nflua.h"
#include "nflua_clock.h"
#include "nflua_core.h"

#define NFLUA_ABI 2

/* Allocation is charged one unit per this many bytes... */
#define NFLUA_BYTES_PER_UNIT 16
/* ...and an allocation of at least this many units is refused (not charged) when the budget left
 * cannot pay for it: the work that follows a big allocation (a copy, a case conversion, a
 * rehash) is then never started. Smaller ones always succeed, so a stopped call can still build
 * its error message. */
#define NFLUA_REFUSABLE_UNITS 64
/* A large allocation (at least NFLUA_LARGE_BLOCK bytes) gets fresh pages from the kernel, and their
 * faults dominate what it and the copy or fill after it cost: 0.3 ns per byte on bare metal, 3 to
 * 7 ns on a loaded virtual machine whose page faults cost 10 to 25 us. Inside a call, the
 * allocator faults a large block's pages in itself, looking at the clock every
 * NFLUA_PAGES_PER_LOOK pages, and gives the block back (the allocation fails) when the call runs
 * out of time: no allocation can carry a call past its time limit by more than one look. */
#define NFLUA_LARGE_BLOCK (64 * 1024)
#define NFLUA_PAGE 4096
#define NFLUA_PAGES_PER_LOOK 32
/* A full collection walks the heap: charged one unit per this many bytes of it, and refused when
 * it could not end within the call's time left at NFLUA_NS_PER_HEAP_BYTE (measured: 0.3 ns per
 * byte of small tables, more where it frees big blocks). */
#define NFLUA_GC_BYTES_PER_UNIT 32
#define NFLUA_NS_PER_HEAP_BYTE 1
/* C stack a call may use below the frame that armed it, and what must stay free below that. */
#define NFLUA_CSTACK_ALLOWANCE (1024 * 1024)
#define NFLUA_CSTACK_RESERVE (192 * 1024)
#define NFLUA_CSTACK_ERROR_ROOM (64 * 1024)

#define monotonic_ns nflua_clock_ns

LUA_API long long nflua_now_ns(void) {
  nflua_clock_init();
  return nflua_clock_ns();
}

LUA_API int nflua_clock_source(void) {
  nflua_clock_init();
  return nflua_clock_state.tsc ? NFLUA_CLOCK_TSC : NFLUA_CLOCK_MONOTONIC;
}

static inline nflua_limits *limits_of(lua_State *L) {
  return nflua_glimits(G(L));
}

/* Marks the call stopped (first reason wins) and the budget spent. */
static void stop_call(nflua_limits *lim, int why) {
  if (lim->stopped_by == NFLUA_RUNNING) {
    lim->stopped_by = why;
    if (why == NFLUA_STOP_TIME) lim->time_exhaustions++;
    else lim->budget_exhaustions++;
  }
  if (lim->budget_left > 0) lim->budget_left = 0;
}

static void check_time(nflua_limits *lim, long long now) {
  if (lim->deadline_ns != 0 && now > lim->deadline_ns) stop_call(lim, NFLUA_STOP_TIME);
}

/* Spends 'units'; reads the clock when the spending crosses a stride. */
static void spend(nflua_limits *lim, long long units) {
  long long before = lim->budget_left;
  lim->budget_left -= units;
  lim->charged += units;
  if (lim->budget_left <= 0) stop_call(lim, NFLUA_STOP_BUDGET);
  else if (lim->deadline_ns != 0 &&
           (units >= NFLUA_CLOCK_STRIDE || before / NFLUA_CLOCK_STRIDE != lim->budget_left / NFLUA_CLOCK_STRIDE))
    check_time(lim, monotonic_ns());
}

/* Touches every page of a new block; 0 when the call ran out of time before the end. */
static int fault_in(nflua_limits *lim, char *p, size_t size) {
  volatile char *q = p;
  int pages = 0;
  for (size_t i = 0; i < size; i += NFLUA_PAGE) {
    q[i] = 0;
    if (++pages % NFLUA_PAGES_PER_LOOK == 0) {
      check_time(lim, monotonic_ns());
      if (lim->stopped_by != NFLUA_RUNNING) return 0;
    }
  }
  q[size - 1] = 0;
  return 1;
}

/* A large block for a running call: like realloc, but faulted in under the call's clock. */
static void *large_block(nflua_limits *lim, void *ptr, size_t old, size_t nsize) {
  char *p = malloc(nsize);
  if (p == NULL) return NULL;
  if (!fault_in(lim, p, nsize)) {
    free(p);
    return NULL;  /* the old block stays as it was: Lua raises "not enough memory" */
  }
  if (ptr != NULL) {
    memcpy(p, ptr, old);
    free(ptr);
  }
  return p;
}

LUA_API void *nflua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  nflua_limits *lim = (nflua_limits *)ud;
  size_t old = ptr != NULL ? osize : 0;
  int large = 0;
  if (nsize == 0) {
    free(ptr);
    lim->mem_used -= old;
    return NULL;
  }
  if (nsize > old) {
    if (lim->mem_limit != 0 && lim->host_depth == 0 && lim->mem_used - old + nsize > lim->mem_limit) {
      lim->mem_refusals++;
      return NULL;  /* Lua raises "not enough memory"; the state stays usable */
    }
    if (lim->budget_enabled) {
      long long units = (long long)((nsize - old) / NFLUA_BYTES_PER_UNIT);
      if (units >= NFLUA_REFUSABLE_UNITS && lim->host_depth == 0) {
        if (units >= lim->budget_left) {
          stop_call(lim, NFLUA_STOP_BUDGET);
          return NULL;
        }
        large = lim->deadline_ns != 0 && nsize - old >= NFLUA_LARGE_BLOCK;
      }
      spend(lim, units);
    }
  }
  /* A new block (most of them: strings, userdata, tables) is malloc's: realloc(NULL) takes a longer path. */
  void *p = large ? large_block(lim, ptr, old, nsize) : ptr == NULL ? malloc(nsize) : realloc(ptr, nsize);
  if (p == NULL) {
    if (nsize <= old) return ptr;  /* Lua assumes shrinking never fails */
    return NULL;
  }
  lim->mem_used = lim->mem_used - old + nsize;
  if (lim->mem_used > lim->mem_peak) lim->mem_peak = lim->mem_used;
  return p;
}

/* Where the rule's own code is, innermost first: the first frame of a chunk loaded from a file
 * ('@' names: the rule's script), else the first frame with a line at all. C functions and hooks
 * have none, and NfLua's own Lua (the sandbox prelude, "=nflua-sandbox") is never the culprit. */
static void push_where(lua_State *L) {
  lua_Debug ar;
  int fallback = -1;
  for (int level = 0; level < 24 && lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline <= 0) continue;
    if (ar.source[0] == '@') {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
    if (fallback < 0) fallback = level;
  }
  if (fallback >= 0 && lua_getstack(L, fallback, &ar) && lua_getinfo(L, "Sl", &ar)) {
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}

/* Raises msg with the position of the innermost Lua code, as an ordinary (catchable) error. */
static int raise_here(lua_State *L, const char *msg) {
  if (!lua_checkstack(L, 3)) luaD_throw(L, LUA_ERRERR);
  push_where(L);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* Raises why the current call was stopped, from the innermost Lua frame. Never returns. The error
 * is thrown past xpcall's message handler: the handler is a function of the rule, and nothing of
 * the rule runs any more (calling it would only raise this again, level after level). */
static void __attribute__((noreturn)) nflua_raise_stop(lua_State *L) {
  nflua_limits *lim = limits_of(L);
  /* Sticky: from now on this thread stops at every instruction until the host re-arms. */
  if (lua_gethookcount(L) != 1) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  if (!lua_checkstack(L, 3)) luaD_throw(L, LUA_ERRERR);
  push_where(L);
  lua_pushstring(L, lim != NULL && lim->stopped_by == NFLUA_STOP_TIME ? "time limit exceeded"
                                                                    : "instruction limit exceeded");
  lua_concat(L, 2);
  luaD_throw(L, LUA_ERRRUN);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled) return;
  int step = lua_gethookcount(L);
  if (lim->budget_left > 0) spend(lim, step);
  if (lim->budget_left <= 0) {
    if (lim->host_depth == 0) nflua_raise_stop(L);
  }
  else if (step != NFLUA_HOOK_STEP) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, NFLUA_HOOK_STEP);  /* re-armed: back to the cheap step */
  }
}

void nflua_budget_charge(lua_State *L, unsigned long long units) {
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled) return;
  if (units < NFLUA_CLOCK_STRIDE) {  /* the common case: paid, and no clock stride crossed */
    long long left = lim->budget_left - (long long)units;
    if (__builtin_expect(left > 0 && (left ^ lim->budget_left) < NFLUA_CLOCK_STRIDE, 1)) {
      lim->budget_left = left;
      lim->charged += (long long)units;
      return;
    }
  }
  if (units != 0) spend(lim, (long long)(units > (1ULL << 40) ? (1ULL << 40) : units));
  if (lim->budget_left <= 0) {
    if (lim->host_depth == 0) nflua_raise_stop(L);
    /* Inside host code nothing may raise: the thread stops at its next instruction instead. */
    else if (lua_gethookcount(L) != 1) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  }
}

LUA_API int nflua_host_charge(lua_State *L, long long units, long long ns) {
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled) return 1;
  if (lim->budget_left > 0 && units >= lim->budget_left) stop_call(lim, NFLUA_STOP_BUDGET);
  if (lim->budget_left > 0 && ns > 0 && lim->deadline_ns != 0) check_time(lim, monotonic_ns() + ns);
  if (lim->budget_left > 0) spend(lim, units);
  if (lim->budget_left > 0) return 1;
  if (lua_gethookcount(L) != 1) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  return 0;
}

void nflua_stop_sticky(lua_State *L) {
  nflua_limits *lim = limits_of(L);
  if (lim != NULL && lim->budget_enabled && lim->budget_left <= 0 && lua_gethookcount(L) != 1)
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

void nflua_cstack_overflow(lua_State *L) {
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || lim->host_depth != 0 || lim->cstack_floor == NULL) return;
  if (lim->cstack_floor_lowered) {
    /* Overflowing again while handling the first overflow: the call ends here, for good. */
    stop_call(lim, NFLUA_STOP_BUDGET);
    nflua_raise_stop(L);
  }
  /* Room for message handlers and __close handlers to run while the error unwinds. */
  lim->cstack_floor -= NFLUA_CSTACK_ERROR_ROOM;
  lim->cstack_floor_lowered = 1;
  raise_here(L, "C stack overflow");
}

/* Whether an emergency (full) collection may run now. It walks the whole heap in one go, so inside
 * a call it is charged like an allocation of the heap's size: refused when the budget left cannot
 * pay for it or when it could not end within the call's time. */
LUA_API int nflua_emergency_gc_allowed(lua_State *L) {
  nflua_limits *lim = limits_of(L);
  if (lim == NULL || !lim->budget_enabled || lim->host_depth != 0) return 1;
  long long units = (long long)(lim->mem_used / NFLUA_GC_BYTES_PER_UNIT);
  if (lim->budget_left <= 0 || units >= lim->budget_left) return 0;
  if (lim->deadline_ns != 0 &&
      monotonic_ns() + (long long)lim->mem_used * NFLUA_NS_PER_HEAP_BYTE > lim->deadline_ns) return 0;
  spend(lim, units);
  return lim->budget_left > 0;
}

/* The lowest address of the calling thread's stack, looked up once per thread. */
static __thread char *t_stack_low;

static char *thread_stack_low(void) {
  if (t_stack_low == NULL) {
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    t_stack_low = (char *)1;  /* unknown */
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr != NULL) t_stack_low = (char *)addr;
      pthread_attr_destroy(&attr);
    }
  }
  return t_stack_low;
}

LUA_API void nflua_arm(nflua_limits *lim, long long budget) {
  char *here = (char *)__builtin_frame_address(0);
  if (here != lim->armed_at) {  /* another thread, or another depth: find the floor again */
    char *low = thread_stack_low();
    char *floor = here - NFLUA_CSTACK_ALLOWANCE;
    if (low != (char *)1 && floor < low + NFLUA_CSTACK_RESERVE) floor = low + NFLUA_CSTACK_RESERVE;
    else if (low == (char *)1) floor = here - NFLUA_CSTACK_RESERVE;
    lim->armed_at = here;
    lim->armed_floor = floor;
  }
  lim->cstack_floor = lim->armed_floor;
  lim->cstack_floor_lowered = 0;
  lim->budget_left = budget;
  lim->stopped_by = NFLUA_RUNNING;
  lim->charged = 0;
  lim->call_started_ns = monotonic_ns();
  lim->deadline_ns = lim->time_limit_ns > 0 ? lim->call_started_ns + lim->time_limit_ns : 0;
  lim->budget_enabled = 1;
}

LUA_API long long nflua_disarm(nflua_limits *lim) {
  lim->budget_enabled = 0;
  lim->cstack_floor = NULL;
  return monotonic_ns() - lim->call_started_ns;
}

LUA_API nflua_limits *nflua_limits_new(void) {
  nflua_clock_init();  /* before any call is armed: the clock never changes under a call */
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

LUA_API size_t nflua_limits_size(void) {
  return sizeof(nflua_limits);
}

/* String hashes are seeded from the kernel's random source, not from addresses and the time
 * (which a rule could learn and use to make its keys collide). */
unsigned int nflua_makeseed(void) {
  unsigned int seed;
  if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) seed = (unsigned int)monotonic_ns();
  return seed;
}

/* Addresses printed by tostring and %p are scrambled with a per-process key: they still tell
 * objects apart, and no longer tell where the heap or the library is. */
static uintptr_t pointer_key(void) {
  static uintptr_t key;
  if (key == 0) {
    uintptr_t k = 0;
    if (getrandom(&k, sizeof k, 0) != (ssize_t)sizeof k) k = (uintptr_t)monotonic_ns() * 0x9E3779B97F4A7C15ULL;
    key = (k | 1) & ~(uintptr_t)0xF;  /* never zero, and equal pointers stay equal */
  }
  return key;
}

const void *nflua_hide_pointer(const void *p) {
  return p == NULL ? NULL : (const void *)((uintptr_t)p ^ pointer_key());
}

/* Floor division, as Lua's '//' on integers; the quotient of LUA_MININTEGER by -1 wraps. */
long long nflua_int_floordiv(lua_State *L, long long a, long long b) {
  if (b == 0) return raise_here(L, "attempt to divide by zero");
  if (b == -1) return (long long)(0u - (unsigned long long)a);
  long long q = a / b;
  if ((a % b != 0) && ((a ^ b) < 0)) q -= 1;
  return q;
}

long long nflua_int_floormod(lua_State *L, long long a, long long b) {
  if (b == 0) return raise_here(L, "attempt to perform 'n%0'");
  if (b == -1) return 0;
  long long r = a % b;
  if (r != 0 && ((r ^ b) < 0)) r += b;
  return r;
}

/* Integer power by squaring; overflow wraps like Lua's integer arithmetic. */
long long nflua_int_pow(lua_State *L, long long a, long long b) {
  if (b < 0) return raise_here(L, "attempt to raise an integer to a negative power");
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
