/*
 * The data module's hot operations in C (docs/internals.md, "The data module"): the data
 * metatable's __index, __newindex, __len and __tostring, d:segment and d:layout. They are plain
 * lua_CFunctions, not host functions: no managed transition, and they may raise like any C
 * function of the state (their callers are Lua frames only). The host (NfLua.Scripting) creates
 * the objects they read in memory that never moves (nflua.h, "The data module"), pushes them with
 * its usual upvalues and still owns data.new and everything else.
 *
 * What they keep from the C# versions they replace: every read is bounds-checked against the
 * object's window; an object over a packet whose call has ended (its region's generation moved on
 * or its bytes are gone) reads nil, has length 0 and refuses writes, without touching the bytes;
 * copies are charged to the call's budget before they are made (nflua_host_charge, the host's
 * rate), and allocations go through the state's capped allocator.
 */
#include <string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lapi.h"
#include "lgc.h"
#include "lobject.h"
#include "lstate.h"  /* arguments, upvalues and layouts are read directly on the hot path */
#include "ltable.h"
#include "nflua.h"
#include "nflua_core.h"  /* nflua_glimits */

/* The upvalues every function NfLua gives a rule has (HostUpvalues in C#); the first, the host
 * function of the trampoline, is false here. */
#define UV_CONTEXT   2
#define UV_METATABLE 3
#define UV_METHODS   4
/* Only d:layout's closure (nflua_data_layoutmethod): the layouts' metatable, and the function that
 * builds a layout from a table of fields (sandbox.lua). */
#define UV_LAYOUTMT  5
#define UV_BUILD     6

/* How a layout field is packed into one integer (sandbox.lua's field()): bit offset << 28 |
 * bit length << 4 | kind << 2 | endianness. */
#define FIELD_STRING 1
#define ENDIAN_LITTLE 1
#define ENDIAN_HOST 2

static const TValue *argument(lua_State *L, int idx) {
  StkId o = L->ci->func.p + idx;
  return o < L->top.p ? s2v(o) : NULL;
}

/* Upvalue n of the running C closure (every data function is one). */
static const TValue *upvalue(lua_State *L, int n) {
  return &clCvalue(s2v(L->ci->func.p))->upvalue[n - 1];
}

static nflua_datactx *context_of(lua_State *L) {
  return (nflua_datactx *)pvalue(upvalue(L, UV_CONTEXT));
}

/* The data metatable (an upvalue of every data function). */
static const Table *data_metatable(lua_State *L) {
  const TValue *mt = upvalue(L, UV_METATABLE);
  return ttistable(mt) ? hvalue(mt) : NULL;
}

/* Pushes a value read from a table: nil for an absent key, as lua_rawget does. */
static void push_slot(lua_State *L, const TValue *slot) {
  if (isempty(slot)) setnilvalue(s2v(L->top.p));
  else setobj2s(L, L->top.p, slot);
  api_incr_top(L);
}

/*
 * The data object at argument idx: a full userdata with the data metatable, or a packet token (a
 * light userdata holding the generation of the call that pushed it: the current packet, or for a
 * token of an earlier call the stale object, which has no bytes). *packet tells the current
 * packet's token apart (its layout lives in the registry, not in a user value). NULL for anything
 * else.
 */
static nflua_data *resolve(lua_State *L, int idx, nflua_datactx *ctx, int *packet) {
  const TValue *o = argument(L, idx);
  *packet = 0;
  if (o == NULL) return NULL;
  if (ttisfulluserdata(o)) {
    return uvalue(o)->metatable == data_metatable(L) ? (nflua_data *)getudatamem(uvalue(o)) : NULL;
  }
  if (ttislightuserdata(o)) {  /* only packet tokens are light userdata in a rule */
    unsigned long long token = (unsigned long long)(size_t)pvalue(o);
    if ((token >> 1) == ctx->packet.generation && ctx->packet.data != NULL) {
      *packet = 1;
      return &ctx->packet_object;
    }
    return &ctx->stale;
  }
  return NULL;
}

/* The object's bytes, or NULL for an object over a packet whose call has ended. */
static unsigned char *bytes_of(const nflua_data *d) {
  if (d->region != NULL) {
    if (d->region->generation != d->generation || d->region->data == NULL) return NULL;
    return d->region->data + d->offset;
  }
  return d->owned + d->offset;
}

/* The layout applied to the object at argument 1 (NULL when it has none: a stale packet has none). */
static Table *layout_of(lua_State *L, nflua_datactx *ctx, const nflua_data *d, int packet) {
  const TValue *l;
  if (packet) {
    l = luaH_getint(hvalue(&G(L)->l_registry), ctx->layout_slot);
  } else {
    const TValue *o = argument(L, 1);
    if (d == &ctx->stale || o == NULL || !ttisfulluserdata(o) || uvalue(o)->nuvalue < NFLUA_DATA_LAYOUT_UV) return NULL;
    l = &uvalue(o)->uv[NFLUA_DATA_LAYOUT_UV - 1].uv;
  }
  return ttistable(l) ? hvalue(l) : NULL;
}

/* The field named by the key at argument 2 in the layout of the object at argument 1: 1 and its
 * packed description, or 0. A script can write into its layout tables: a value that is not a
 * field sandbox.lua packed is still only a field, bounds-checked like any other. */
static int find_field(lua_State *L, nflua_datactx *ctx, const nflua_data *d, int packet, lua_Integer *field) {
  Table *layout = layout_of(L, ctx, d, packet);
  const TValue *key = argument(L, 2);
  if (layout == NULL || key == NULL) return 0;
  const TValue *slot = luaH_get(layout, key);
  if (!ttisinteger(slot)) return 0;
  *field = ivalue(slot);
  return 1;
}

static unsigned long long low_mask(int bits) {
  return bits == 64 ? ~0ULL : (1ULL << bits) - 1;
}

static unsigned long long swap64(unsigned long long v) {
  return __builtin_bswap64(v);
}

/* Whether the host's byte order is little-endian (the 'host' endianness). */
static int host_little(void) {
  const unsigned short one = 1;
  return *(const unsigned char *)&one == 1;
}

static int is_little(int endian) {
  return endian == ENDIAN_LITTLE || (endian == ENDIAN_HOST && host_little());
}

/* luadata's little-endian for fields that are not whole bytes (NfLua.Packets' BitField): the field,
 * read most significant bit first, is cut into 8-bit chunks from its start (the last one shorter);
 * chunk i becomes byte i of the value. */
static unsigned long long big_bits_to_little(unsigned long long raw, int bits) {
  int partial = bits & 7;
  if (partial == 0) return swap64(raw << (64 - bits));
  int whole = bits - partial;
  return swap64((raw >> partial) << (64 - whole)) | ((raw & low_mask(partial)) << whole);
}

static unsigned long long little_to_big_bits(unsigned long long value, int bits) {
  int partial = bits & 7;
  if (partial == 0) return swap64(value) >> (64 - bits);
  int whole = bits - partial;
  unsigned long long chunks = swap64(value & low_mask(whole)) >> (64 - whole);
  return (chunks << partial) | (value >> whole);
}

/* Whether a number field of 'bits' bits at 'offset' lies inside 'length' bytes. */
static int fits(long long length, long long offset, int bits) {
  return bits >= 1 && bits <= 64 && offset >= 0 && offset <= length * 8 - bits;
}

static unsigned long long load_big(const unsigned char *p, int n) {
  unsigned long long v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

/* Reads the number field (already checked to fit): bit 0 is the top bit of b[0]. */
static unsigned long long read_bits(const unsigned char *b, long long offset, int bits, int little) {
  const unsigned char *p = b + (offset >> 3);
  int skip = (int)(offset & 7);
  unsigned long long raw;
  if (skip == 0 && (bits & 7) == 0) {
    raw = load_big(p, bits >> 3);  /* whole bytes: what almost every header field is */
    return little && bits > 8 ? swap64(raw << (64 - bits)) : raw;
  }
  int count = (skip + bits + 7) >> 3;
  if (count <= 8) {
    raw = (load_big(p, count) >> (count * 8 - skip - bits)) & low_mask(bits);
  } else {  /* 9 bytes: the ninth only gives its top bits */
    int extra = skip + bits - 64;
    raw = ((load_big(p, 8) << extra) | (unsigned long long)(p[8] >> (8 - extra))) & low_mask(bits);
  }
  return little && bits > 8 ? big_bits_to_little(raw, bits) : raw;
}

/* Writes the low 'bits' bits of value into the field (already checked to fit); other bits stay. */
static void write_bits(unsigned char *b, long long offset, int bits, int little, unsigned long long value) {
  value &= low_mask(bits);
  if (little && bits > 8) value = little_to_big_bits(value, bits);
  if ((offset & 7) == 0 && (bits & 7) == 0) {
    unsigned char *p = b + (offset >> 3);
    for (int i = (bits >> 3) - 1; i >= 0; i--) {
      p[i] = (unsigned char)value;
      value >>= 8;
    }
    return;
  }
  long long end = offset + bits;
  for (long long index = offset >> 3; index <= (end - 1) >> 3; index++) {
    long long start = index * 8;
    long long from = offset > start ? offset : start;
    long long to = end < start + 8 ? end : start + 8;
    int count = (int)(to - from);
    int shift = (int)(start + 8 - to);
    int after = (int)(end - to);
    unsigned int piece = (unsigned int)((value >> after) & ((1ULL << count) - 1));
    unsigned int mask = ((1u << count) - 1) << shift;
    b[index] = (unsigned char)((b[index] & ~mask) | (piece << shift));
  }
}

/* Charges copying n bytes before it happens, at the host's rate (LimitsGuard.ChargeBytes): a unit
 * per 16 bytes, and for a large block the time fresh pages could take. 0: the call cannot pay; it
 * stops at its next instruction, and the copy is skipped. */
static int charge_bytes(lua_State *L, long long n) {
  long long units = 1 + n / 16;
  if (n < 64 * 1024) {  /* the common case inline, as nflua_oncall has it: paid, no clock stride crossed */
    nflua_limits *lim = nflua_glimits(G(L));
    long long left;
    if (lim == NULL || !lim->budget_enabled) return 1;
    left = lim->budget_left - units;
    if (left > 0 && (left ^ lim->budget_left) < NFLUA_CLOCK_STRIDE) {
      lim->budget_left = left;
      lim->charged += units;
      return 1;
    }
  }
  return nflua_host_charge(L, units, n >= 64 * 1024 ? n * 3 : 0);
}

/* Pushes the field's value: an integer, a string, or nil when it lies outside the object. */
static void push_field(lua_State *L, const unsigned char *b, long long length, lua_Integer field) {
  long long offset = (long long)((unsigned long long)field >> 28);
  int bits = (int)((field >> 4) & 0xFFFFFF);
  if (((field >> 2) & 3) == FIELD_STRING) {
    long long start = offset / 8, size = bits / 8;
    if (start + size > length || !charge_bytes(L, size)) {
      lua_pushnil(L);
      return;
    }
    lua_pushlstring(L, (const char *)b + start, (size_t)size);
    return;
  }
  if (!fits(length, offset, bits)) {
    lua_pushnil(L);
    return;
  }
  lua_pushinteger(L, (lua_Integer)read_bits(b, offset, bits, is_little((int)(field & 3))));
}

/* __index(d, key): a field of d's layout, else a method, else nil. */
LUA_API int nflua_data_index(lua_State *L) {
  nflua_datactx *ctx = context_of(L);
  int packet;
  nflua_data *d = resolve(L, 1, ctx, &packet);
  lua_Integer field;
  if (d != NULL && find_field(L, ctx, d, packet, &field)) {
    const unsigned char *b = bytes_of(d);
    if (b == NULL) lua_pushnil(L);
    else push_field(L, b, d->length, field);
    return 1;
  }
  const TValue *key = argument(L, 2);
  if (key == NULL || !ttistable(upvalue(L, UV_METHODS))) lua_pushnil(L);
  else push_slot(L, luaH_get(hvalue(upvalue(L, UV_METHODS)), key));
  return 1;
}

/* __newindex(d, key, value): writes the field; raises what is wrong, at the writer's line. */
LUA_API int nflua_data_newindex(lua_State *L) {
  nflua_datactx *ctx = context_of(L);
  int packet;
  nflua_data *d = resolve(L, 1, ctx, &packet);
  if (d == NULL) return luaL_error(L, "attempt to write to something that is not a data object");
  unsigned char *b = bytes_of(d);
  if (b == NULL) return luaL_error(L, "attempt to write a packet after its verdict");
  if (d->region != NULL && d->region->readonly) {
    return luaL_error(L, "attempt to write to a stream (streams are read-only: write to the packet)");
  }
  lua_Integer field;
  if (!find_field(L, ctx, d, packet, &field)) {
    return luaL_error(L, "attempt to write a field that the data object's layout does not have");
  }
  long long offset = (long long)((unsigned long long)field >> 28);
  int bits = (int)((field >> 4) & 0xFFFFFF);
  if (((field >> 2) & 3) == FIELD_STRING) {
    size_t n;
    if (lua_type(L, 3) != LUA_TSTRING) return luaL_error(L, "a string field takes a string");
    const char *s = lua_tolstring(L, 3, &n);
    long long start = offset / 8, size = bits / 8;
    if ((long long)n > size) return luaL_error(L, "string longer than its field");
    if (start + size > d->length) return luaL_error(L, "field lies outside the data object");
    if (!charge_bytes(L, (long long)n)) return 0;  /* the call is stopped: it ends at its next instruction */
    memcpy(b + start, s, n);
  } else {
    int isnum = 0;
    lua_Integer value = lua_tointegerx(L, 3, &isnum);
    if (!isnum || lua_type(L, 3) != LUA_TNUMBER) return luaL_error(L, "a number field takes an integer");
    if (!fits(d->length, offset, bits)) return luaL_error(L, "field lies outside the data object");
    write_bits(b, offset, bits, is_little((int)(field & 3)), (unsigned long long)value);
  }
  if (d->region != NULL) d->region->modified = 1;
  return 0;
}

/* #d: the object's length in bytes (0 once a packet's call has ended). */
LUA_API int nflua_data_len(lua_State *L) {
  int packet;
  nflua_data *d = resolve(L, 1, context_of(L), &packet);
  lua_pushinteger(L, d != NULL && bytes_of(d) != NULL ? (lua_Integer)d->length : 0);
  return 1;
}

/* tostring(d): a copy of the bytes (empty once a packet's call has ended: __tostring must return a string). */
LUA_API int nflua_data_tostring(lua_State *L) {
  int packet;
  nflua_data *d = resolve(L, 1, context_of(L), &packet);
  const unsigned char *b = d != NULL ? bytes_of(d) : NULL;
  long long n = b != NULL ? d->length : 0;
  if (!charge_bytes(L, n)) n = 0;  /* the call is stopped: it ends at its next instruction */
  lua_pushlstring(L, n > 0 ? (const char *)b : "", (size_t)n);
  return 1;
}

/* An optional integer argument: the fallback when absent or nil; 0 for anything but an integer. */
static int opt_integer(lua_State *L, int idx, long long fallback, long long *value) {
  const TValue *o = argument(L, idx);
  if (o == NULL || ttisnil(o)) {
    *value = fallback;
    return 1;
  }
  if (ttisinteger(o)) {
    *value = (long long)ivalue(o);
    return 1;
  }
  if (ttisnumber(o)) {  /* not a string: strings are not converted */
    int isnum = 0;
    *value = (long long)lua_tointegerx(L, idx, &isnum);
    return isnum;
  }
  return 0;
}

/* d:segment([offset [, length]]): a view sharing d's bytes, or nil when out of range. */
LUA_API int nflua_data_segment(lua_State *L) {
  int packet;
  nflua_data *parent = resolve(L, 1, context_of(L), &packet);
  long long offset, length;
  if (parent == NULL || bytes_of(parent) == NULL || !opt_integer(L, 2, 0, &offset) ||
      !opt_integer(L, 3, parent->length - offset, &length) || offset < 0 || length < 0 ||
      offset > parent->length || length > parent->length - offset) {
    lua_pushnil(L);
    return 1;
  }
  nflua_data view = *parent;
  view.offset = parent->offset + offset;
  view.length = length;
  /* A view of a region needs no owner: one user value, the layout. */
  nflua_data *d = (nflua_data *)lua_newuserdatauv(L, sizeof(nflua_data),
                                                  view.owned != NULL ? NFLUA_DATA_OWNER_UV : NFLUA_DATA_LAYOUT_UV);
  *d = view;
  lua_pushvalue(L, lua_upvalueindex(UV_METATABLE));
  lua_setmetatable(L, -2);
  if (view.owned != NULL) {
    /* The bytes live in the userdata that owns them (data.new): keep it alive. */
    if (lua_getiuservalue(L, 1, NFLUA_DATA_OWNER_UV) <= LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushvalue(L, 1);
    }
    lua_setiuservalue(L, -2, NFLUA_DATA_OWNER_UV);
  }
  return 1;
}

/* d:layout(l): applies the layout l (a table of fields is made a layout first); returns d. */
static int data_layout(lua_State *L) {
  nflua_datactx *ctx = context_of(L);
  int packet;
  nflua_data *d = resolve(L, 1, ctx, &packet);
  const TValue *spec = argument(L, 2);
  lua_settop(L, 2);
  if (spec == NULL || !ttistable(spec) || hvalue(spec)->metatable == NULL ||
      !ttistable(upvalue(L, UV_LAYOUTMT)) || hvalue(spec)->metatable != hvalue(upvalue(L, UV_LAYOUTMT))) {
    /* Not a layout yet: sandbox.lua's builder checks the fields and raises at the caller's line. */
    lua_pushvalue(L, lua_upvalueindex(UV_BUILD));
    lua_rotate(L, 2, 1);
    lua_call(L, 1, 1);
  }
  if (d != NULL && lua_type(L, 2) == LUA_TTABLE) {
    if (packet) {
      lua_rawseti(L, LUA_REGISTRYINDEX, ctx->layout_slot);
      ctx->layout_set = 1;
    } else if (d != &ctx->stale) {  /* a stale packet keeps no layout */
      lua_setiuservalue(L, 1, NFLUA_DATA_LAYOUT_UV);
    }
  }
  lua_settop(L, 1);
  return 1;
}

/* host.layoutmethod(layoutmetatable, build): d:layout, with its caller's upvalues and these two. */
LUA_API int nflua_data_layoutmethod(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(UV_CONTEXT));
  lua_pushvalue(L, lua_upvalueindex(UV_METATABLE));
  lua_pushvalue(L, lua_upvalueindex(UV_METHODS));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, data_layout, 6);
  return 1;
}

LUA_API int nflua_data_sizes(long long *out, int n) {
  const long long sizes[] = {
    (long long)sizeof(nflua_region), (long long)sizeof(nflua_data), (long long)sizeof(nflua_datactx),
    (long long)offsetof(nflua_region, readonly), (long long)offsetof(nflua_data, length),
    (long long)offsetof(nflua_datactx, packet_object), (long long)offsetof(nflua_datactx, stale),
    (long long)offsetof(nflua_datactx, layout_slot), (long long)offsetof(nflua_datactx, layout_set),
  };
  int count = (int)(sizeof sizes / sizeof sizes[0]);
  for (int i = 0; i < n && i < count; i++) out[i] = sizes[i];
  return count;
}
