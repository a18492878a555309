/*
 * The limits' clock (nflua_clock.h). Every call is armed and disarmed with a clock read, and the
 * running call looks at the clock every NFLUA_CLOCK_STRIDE charged units: on a cheap rule the two
 * reads of clock_gettime were a fifth of the call. x86-64 CPUs that say their time-stamp counter
 * is invariant (CPUID 0x80000007, EDX bit 8: it ticks at one rate in every power state and is
 * synchronised across cores; Linux shows it as constant_tsc and nonstop_tsc) are read directly,
 * scaled by a rate measured against CLOCK_MONOTONIC when the first limited state is made:
 * two samples 5 ms apart, checked by a third 5 ms later. Anything else (another architecture, no
 * invariant counter, a measurement that does not hold, NFLUA_CLOCK=monotonic in the environment)
 * reads clock_gettime(CLOCK_MONOTONIC) as before.
 */
#define _GNU_SOURCE  /* secure_getenv */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "nflua_clock.h"

nflua_clock nflua_clock_state;

#if defined(__x86_64__)
/* One (CLOCK_MONOTONIC, counter) pair read close together; 0 when no try was tight enough. */
static int sample(long long *ns, unsigned long long *ticks) {
  for (int i = 0; i < 100; i++) {
    long long before = nflua_monotonic_ns();
    unsigned long long t = __rdtsc();
    long long after = nflua_monotonic_ns();
    if (after - before < 2000) {
      *ns = before + (after - before) / 2;
      *ticks = t;
      return 1;
    }
  }
  return 0;
}

static void pause_ms(long ms) {
  struct timespec ts = { 0, ms * 1000000L };
  while (nanosleep(&ts, &ts) != 0) {}
}

static int invariant_tsc(void) {
  unsigned int a, b, c, d;
  if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007) return 0;
  if (!__get_cpuid(0x80000007, &a, &b, &c, &d)) return 0;
  return (d >> 8) & 1;
}

static void calibrate(void) {
  long long ns0, ns1, ns2;
  unsigned long long t0, t1, t2;
  if (!invariant_tsc() || !sample(&ns0, &t0)) return;
  pause_ms(5);
  if (!sample(&ns1, &t1) || t1 <= t0 || ns1 <= ns0) return;
  unsigned long long ticks = t1 - t0;
  double per_tick = (double)(ns1 - ns0) / (double)ticks;
  if (per_tick < 0.05 || per_tick > 10.0) return;  /* 100 MHz to 20 GHz, else not believed */
  unsigned long long mult = (unsigned long long)(per_tick * 4294967296.0);
  pause_ms(5);
  if (!sample(&ns2, &t2) || t2 <= t1) return;
  long long predicted = ns0 + (long long)(((unsigned __int128)(t2 - t0) * mult) >> 32);
  long long error = predicted - ns2;
  if (error < 0) error = -error;
  if (error > (ns2 - ns0) / 1000 + 4000) return;  /* more than 0.1% (and two reads) off */
  nflua_clock_state.tsc_base = t0;
  nflua_clock_state.ns_base = ns0;
  nflua_clock_state.mult = mult;
  nflua_clock_state.tsc = 1;
}
#endif

static void choose(void) {
  const char *wanted = secure_getenv("NFLUA_CLOCK");
  if (wanted != NULL && strcmp(wanted, "monotonic") == 0) return;
#if defined(__x86_64__)
  calibrate();
#endif
}

void nflua_clock_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, choose);
}
