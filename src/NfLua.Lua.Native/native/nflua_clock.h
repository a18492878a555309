/*
 * The clock the limits read (nflua_clock.c): nanoseconds on CLOCK_MONOTONIC's scale, read from
 * the CPU's invariant time-stamp counter where there is one (about 13 ns a read here, against
 * 34 ns for clock_gettime through the vDSO under kvm-clock), else from clock_gettime.
 */
#ifndef NFLUA_CLOCK_H
#define NFLUA_CLOCK_H

#include <time.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

typedef struct nflua_clock {
  int tsc;                      /* 1: read the time-stamp counter */
  unsigned long long tsc_base;  /* the counter at calibration... */
  long long ns_base;            /* ...and CLOCK_MONOTONIC then */
  unsigned long long mult;      /* nanoseconds per tick, times 2^32 */
} nflua_clock;

extern nflua_clock nflua_clock_state;

/* Chooses and calibrates the clock, once per process; before it, nflua_clock_ns reads
 * clock_gettime. Called when a limited state is made, before any call is armed. */
void nflua_clock_init(void);

static inline long long nflua_monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline long long nflua_clock_ns(void) {
#if defined(__x86_64__)
  if (nflua_clock_state.tsc) {
    /* Counters of two CPUs may differ by a few ticks: a thread that moved reads no earlier
     * than the calibration. */
    long long ticks = (long long)(__rdtsc() - nflua_clock_state.tsc_base);
    if (ticks < 0) ticks = 0;
    return nflua_clock_state.ns_base +
           (long long)(((unsigned __int128)(unsigned long long)ticks * nflua_clock_state.mult) >> 32);
  }
#endif
  return nflua_monotonic_ns();
}

#endif
