/*
 * NfLua's Lua configuration: installed as luaconf.h in the build tree, over Lua's own
 * (renamed luaconf_lua.h), so that Lua's defaults stay and only what NfLua changes is here.
 *
 * Every number is a 64-bit integer, as in NetBSD's kernel Lua and lunatik: lua_Number is
 * lua_Integer. Division by zero, modulo by zero and negative exponents raise Lua errors
 * (never SIGFPE); strings that are not integers do not convert.
 */
#ifndef NFLUA_LUACONF_H
#define NFLUA_LUACONF_H

#include <float.h>
#include <stdio.h>

#include "luaconf_lua.h"

struct lua_State;

#undef LUA_NUMBER
#undef LUAI_UACNUMBER
#undef LUA_NUMBER_FRMLEN
#undef LUA_NUMBER_FMT
#undef LUAI_NUMFFORMAT
#undef l_floatatt
#undef l_mathop
#undef l_floor
#undef lua_str2number
#undef lua_strx2number
#undef lua_number2str
#undef lua_numbertointeger
#undef lua_number2strx

#define LUA_NUMBER              long long
#define LUAI_UACNUMBER          long long
#define LUA_NUMBER_FRMLEN       "ll"
#define LUA_NUMBER_FMT          "%lld"
#define LUAI_NUMFFORMAT         LUA_NUMBER_FMT
/* Only lvm.c's integer/float comparison limits read these; with no floats they never apply. */
#define l_floatatt(n)           (DBL_##n)
#define l_mathop(op)            op
#define l_floor(x)              (x)

/* No text converts to a non-integer: "1.5", "1e3" and "0x1p4" are malformed numbers. */
#define lua_str2number(s,p)     (*(p) = (char *)(s), (lua_Number)0)
#define lua_strx2number(s,p)    lua_str2number(s,p)
#define lua_number2str(s,sz,n)  snprintf((s), (sz), LUA_NUMBER_FMT, (LUAI_UACNUMBER)(n))
#define lua_numbertointeger(n,p) ((*(p) = (lua_Integer)(n)), 1)
/* '%a' in string.format: refused (the other float conversions are refused in lstrlib.c). */
#define lua_number2strx(L,b,sz,f,n) \
  ((void)(b), (void)(sz), (void)(f), (void)(n), nflua_float_format_error(L))

/* The arithmetic Lua does on "floats" is integer arithmetic with errors instead of traps. */
#define luai_numdiv(L,a,b)      nflua_int_floordiv(L, a, b)
#define luai_numidiv(L,a,b)     nflua_int_floordiv(L, a, b)
#define luai_nummod(L,a,b,m)    { (m) = nflua_int_floormod(L, a, b); }
#define luai_numpow(L,a,b)      nflua_int_pow(L, a, b)

extern long long nflua_int_floordiv(struct lua_State *L, long long a, long long b);
extern long long nflua_int_floormod(struct lua_State *L, long long a, long long b);
extern long long nflua_int_pow(struct lua_State *L, long long a, long long b);
extern int nflua_float_format_error(struct lua_State *L);

/* Long loops inside the C library (pattern matching, string.rep, table.move...) charge the
 * same per-call budget as the VM; see nflua_limits.c. A no-op outside limited states. A loop over
 * bytes charges one unit per NFLUA_BYTES_PER_CHARGE (64) bytes, plus one. */
extern void nflua_budget_charge(struct lua_State *L, unsigned long long units);
#define nflua_charge_bytes(L,n)   nflua_budget_charge(L, 1 + (unsigned long long)(n) / 64)
/* Whether an emergency collection may run now (lauxlib's buffers ask too). */
extern int nflua_emergency_gc_allowed(struct lua_State *L);

/* String hashes are seeded from getrandom(), and printed addresses are scrambled: a rule can
 * learn neither the seed nor where memory is (nflua_limits.c). */
extern unsigned int nflua_makeseed(void);
#define luai_makeseed(L)        nflua_makeseed()
extern const void *nflua_hide_pointer(const void *p);

/*
 * KeraLua imports six functions whose C signatures carry lua_Number as 'double'. The core is
 * compiled against integer versions under other names; nflua_abi.c exports the six names with
 * their double signatures and converts at the boundary.
 */
#define lua_pushnumber          nflua_int_pushnumber
#define lua_tonumberx           nflua_int_tonumberx
#define lua_version             nflua_int_version
#define luaL_checknumber        nflua_int_checknumber
#define luaL_optnumber          nflua_int_optnumber
#define luaL_checkversion_      nflua_int_checkversion_

#endif
