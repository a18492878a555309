/*
 * What NfLua's patches to Lua's core (the patches directory) call: included by the patched core
 * files after lstate.h. The fast checks are inline; the rest is in nflua_limits.c. See docs/internals.md.
 */
#ifndef NFLUA_CORE_H
#define NFLUA_CORE_H

#include "nflua.h"

/* The limits of the state L belongs to, or NULL for a state NfLua does not limit. */
#define nflua_glimits(g) \
  ((g)->frealloc == nflua_alloc ? (nflua_limits *)(g)->ud : (nflua_limits *)NULL)

/* Raises "C stack overflow": the calling thread's stack is below the call's floor. */
extern void nflua_cstack_overflow (lua_State *L);

/* Where an error is caught (pcall, a coroutine's pcall): if the call was stopped, the thread that
 * goes on stops at its next instruction. Never raises. */
extern void nflua_stop_sticky (lua_State *L);

/*
 * Every function call of a limited state passes here (Lua and C functions, metamethods, __close
 * handlers, __call chains, resumed coroutines): once the call is stopped, nothing of the state runs
 * again until the host re-arms, whatever thread it is on; a C function costs 'units'.
 */
static inline void nflua_oncall (lua_State *L, int units) {
  nflua_limits *lim = nflua_glimits(G(L));
  if (lim != NULL && lim->budget_enabled) {
    char here;
    /* The common case inline: budget left after paying, and no clock stride crossed (the
     * spending stays in one NFLUA_CLOCK_STRIDE block). Anything else takes the full path. */
    long long left = lim->budget_left - units;
    if (__builtin_expect(units != 0 && left > 0 && (left ^ lim->budget_left) < NFLUA_CLOCK_STRIDE, 1)) {
      lim->budget_left = left;
      lim->charged += units;
    }
    else if (units != 0 || lim->budget_left <= 0)
      nflua_budget_charge(L, (unsigned long long)units);
    if (__builtin_expect(&here < lim->cstack_floor, 0))
      nflua_cstack_overflow(L);
  }
}

/* A weak table of a rule state is held strongly: no ephemeron or weak-clearing work in the GC. */
static inline int nflua_weak_allowed (global_State *g) {
  nflua_limits *lim = nflua_glimits(g);
  return lim == NULL || !lim->strict;
}

#endif
