/*
 * Reference (a) of the NfLua benchmark suite: what a C programmer would write to port the talk's design.
 * libnetfilter_queue in its callback style (one nfq_set_verdict per packet) and the Lua 5.4 C API calling
 * the script's global `filter` once per packet, from a registry reference. To run the same Lua text as
 * nfluad it provides the part of luadata's API and of nfluad's per-packet `nflua` helpers that the
 * benchmarked rules use, compactly:
 *   data.layout{ name = {offset, length [, type] [, endian]}, ... }  (or {offset = o, length = l, type = t,
 *                 endian = e}): number fields ('n') count bits, most significant bit first, up to 64, big-endian
 *                 ('big'/'net') or little ('little'/'le'/'host'); string fields ('s'/'string') count bytes
 *   d:layout(l) -> d      d.name -> integer, string or nil      d.name = v (writable objects only)
 *   d:segment([offset [, length]]) -> view or nil      #d      tostring(d) -> the bytes as a Lua string
 *   data.new(string | size) -> a new writable object
 *   nflua.transport(pkt) -> the TCP/UDP/ICMP/ICMPv6 header onward with its layout applied (other protocols:
 *                 bytes without a layout), and the protocol number; after IPv4 options or IPv6 extension
 *                 headers, ending where the IP packet (UDP: the datagram) ends; nil for later fragments, short
 *                 headers and non-IP
 *   nflua.payload(pkt) -> the bytes after the TCP, UDP, ICMP or ICMPv6 header, or nil
 * Verdicts as in nfluad: a true result accepts, anything else drops. Packets are read-only here (nfluad's
 * writes come with checksum fixes this reference does not make). No sandbox and no limits: that is the cost
 * NfLua adds and must win back elsewhere. Serves until killed; prints nothing on the hot path.
 *
 * The second mode times the data module's operations (bench/refs/data-ops.lua defines the contract): it runs
 * FILE, builds the 200-byte packet it describes, calls each op's run(pkt, N) (a warm-up call, then REPS timed
 * calls on a fresh writable packet each) and prints the median per iteration:
 *   data-op <nanoseconds per iteration, one decimal> <name>
 *
 * usage: nfq_lua QUEUE SCRIPT
 *        nfq_lua --data-ops FILE [N]      (N iterations per timed call, default 1000000)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define DATA_META "nfq_lua.data"
#define QUEUE_MAXLEN 1024

/* A view over bytes; its user value is the applied layout table (or nil). Objects from data.new own their
 * bytes (they follow the struct in the same userdata); views keep their base object alive in no way: like
 * luadata's packets, a packet view is valid during its call only. */
struct data {
    uint8_t *bytes;
    size_t length;
    int writable;
};

static struct data *push_data(lua_State *L, uint8_t *bytes, size_t length, int writable)
{
    struct data *d = lua_newuserdatauv(L, sizeof *d, 1);
    d->bytes = bytes;
    d->length = length;
    d->writable = writable;
    luaL_setmetatable(L, DATA_META);
    return d;
}

/* A layout is a table name -> field, a field packed in one integer (checked once, in data.layout):
 * offset * 2^24 + length * 4 + (string ? 2 : 0) + (little-endian ? 1 : 0); offset and length count bits for
 * number fields and bytes for string fields. */
#define FIELD_STRING 2
#define FIELD_LITTLE 1
#define FIELD_MAX_LENGTH ((1 << 22) - 1)

static lua_Integer parse_field(lua_State *L, int spec)
{
    lua_Integer offset, length;
    const char *type = "n", *endian = "big";
    if (lua_getfield(L, spec, "offset") != LUA_TNIL) {
        offset = luaL_checkinteger(L, -1);
        lua_getfield(L, spec, "length");
        length = luaL_checkinteger(L, -1);
        if (lua_getfield(L, spec, "type") != LUA_TNIL)
            type = luaL_checkstring(L, -1);
        if (lua_getfield(L, spec, "endian") != LUA_TNIL)
            endian = luaL_checkstring(L, -1);
        lua_pop(L, 4);
    } else {
        lua_pop(L, 1);
        lua_geti(L, spec, 1);
        lua_geti(L, spec, 2);
        offset = luaL_checkinteger(L, -2);
        length = luaL_checkinteger(L, -1);
        for (int i = 3; i <= 4; i++) {
            if (lua_geti(L, spec, i) == LUA_TSTRING) {
                const char *word = lua_tostring(L, -1);
                if (strcmp(word, "n") == 0 || strcmp(word, "number") == 0 || strcmp(word, "s") == 0 || strcmp(word, "string") == 0)
                    type = word;
                else
                    endian = word;
            }
        }
        lua_pop(L, 4);
    }
    int string = strcmp(type, "s") == 0 || strcmp(type, "string") == 0;
    if (!string && strcmp(type, "n") != 0 && strcmp(type, "number") != 0)
        luaL_error(L, "data.layout: unknown field type '%s'", type);
    int little;
    if (strcmp(endian, "big") == 0 || strcmp(endian, "net") == 0)
        little = 0;
    else if (strcmp(endian, "little") == 0 || strcmp(endian, "le") == 0 || strcmp(endian, "host") == 0)
        little = 1;   /* the benchmark machines are x86-64 */
    else
        return luaL_error(L, "data.layout: unknown endianness '%s'", endian);
    if (offset < 0 || offset > FIELD_MAX_LENGTH * 8 || length < 1 || (!string && length > 64) || length > FIELD_MAX_LENGTH)
        luaL_error(L, "data.layout: bad field offset or length");
    return offset * (1 << 24) + length * 4 + (string ? FIELD_STRING : 0) + (little ? FIELD_LITTLE : 0);
}

/* data.layout{ name = spec, ... } */
static int data_layout(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1), 1, "fields are name = {offset, length}");
        lua_Integer field = parse_field(L, lua_gettop(L));
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, field);
        lua_rawset(L, -4);
    }
    return 1;
}

/* data.new(string | size): a writable object owning a copy of the string, or size zero bytes. */
static int data_new(lua_State *L)
{
    size_t length;
    const char *text = NULL;
    if (lua_type(L, 1) == LUA_TSTRING) {
        text = lua_tolstring(L, 1, &length);
    } else {
        lua_Integer size = luaL_checkinteger(L, 1);
        length = size > 0 && size <= (1 << 24) ? (size_t)size : 0;
    }
    if (length == 0) {
        lua_pushnil(L);
        return 1;
    }
    struct data *d = lua_newuserdatauv(L, sizeof *d + length, 1);
    d->bytes = (uint8_t *)(d + 1);
    d->length = length;
    d->writable = 1;
    if (text)
        memcpy(d->bytes, text, length);
    else
        memset(d->bytes, 0, length);
    luaL_setmetatable(L, DATA_META);
    return 1;
}

static int data_apply_layout(lua_State *L)
{
    luaL_checkudata(L, 1, DATA_META);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    lua_setiuservalue(L, 1, 1);
    return 1;
}

static int data_segment(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    lua_Integer offset = luaL_optinteger(L, 2, 0);
    if (offset < 0 || (size_t)offset > d->length) {
        lua_pushnil(L);
        return 1;
    }
    lua_Integer length = luaL_optinteger(L, 3, (lua_Integer)(d->length - (size_t)offset));
    if (length < 0 || (size_t)length > d->length - (size_t)offset) {
        lua_pushnil(L);
        return 1;
    }
    push_data(L, d->bytes + offset, (size_t)length, d->writable);
    return 1;
}

/* Little-endian values of number fields: the field's bits read most significant first, in 8-bit chunks (the
 * last one shorter), chunk i being byte i of the value. */
static uint64_t big_to_little(uint64_t raw, unsigned width)
{
    unsigned partial = width & 7, whole = width - partial;
    uint64_t chunks = whole ? __builtin_bswap64((raw >> partial) << (64 - whole)) : 0;
    return chunks | ((raw & ((1ull << partial) - 1)) << whole);
}

static uint64_t little_to_big(uint64_t value, unsigned width)
{
    unsigned partial = width & 7, whole = width - partial;
    uint64_t chunks = whole ? __builtin_bswap64(whole == 64 ? value : value & ((1ull << whole) - 1)) >> (64 - whole) : 0;
    return (chunks << partial) | (whole < 64 ? value >> whole : 0);
}

static uint64_t read_bits(const uint8_t *bytes, size_t offset, unsigned width)
{
    size_t first = offset / 8, last = (offset + width - 1) / 8;
    if (last - first < 8) {   /* at most 8 bytes hold the field: load them, then shift and mask */
        uint64_t value = 0;
        for (size_t i = first; i <= last; i++)
            value = (value << 8) | bytes[i];
        value >>= (last + 1) * 8 - (offset + width);
        return width == 64 ? value : value & ((1ull << width) - 1);
    }
    uint64_t value = 0;   /* a 57-64 bit field straddling 9 bytes */
    for (size_t bit = offset; bit < offset + width; bit++)
        value = (value << 1) | ((bytes[bit / 8] >> (7 - bit % 8)) & 1);
    return value;
}

static void write_bits(uint8_t *bytes, size_t offset, unsigned width, uint64_t value)
{
    if (offset % 8 == 0 && width % 8 == 0) {
        for (size_t i = offset / 8 + width / 8; i-- > offset / 8; value >>= 8)
            bytes[i] = (uint8_t)value;
        return;
    }
    for (size_t bit = offset + width; bit-- > offset; value >>= 1) {
        uint8_t mask = (uint8_t)(1u << (7 - bit % 8));
        bytes[bit / 8] = (uint8_t)((value & 1) ? bytes[bit / 8] | mask : bytes[bit / 8] & ~mask);
    }
}

/* The field named by the key at index 2 in d's layout (pushed values popped); 0 when there is none. */
static int find_field(lua_State *L, lua_Integer *field)
{
    if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushvalue(L, 2);
    int found = lua_rawget(L, -2) == LUA_TNUMBER;
    *field = found ? lua_tointeger(L, -1) : 0;
    lua_pop(L, 2);
    return found;
}

/* d.name: a method, or a layout field (nil outside the view or the layout). */
static int data_index(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    const char *key = lua_tostring(L, 2);
    if (key && strcmp(key, "layout") == 0) {
        lua_pushcfunction(L, data_apply_layout);
        return 1;
    }
    if (key && strcmp(key, "segment") == 0) {
        lua_pushcfunction(L, data_segment);
        return 1;
    }
    lua_Integer field;
    if (!find_field(L, &field)) {
        lua_pushnil(L);
        return 1;
    }
    size_t offset = (size_t)(field >> 24), width = (size_t)((field >> 2) & FIELD_MAX_LENGTH);
    if (field & FIELD_STRING) {
        if (offset + width > d->length)
            lua_pushnil(L);
        else
            lua_pushlstring(L, (const char *)d->bytes + offset, width);
        return 1;
    }
    if (offset + width > d->length * 8) {
        lua_pushnil(L);
        return 1;
    }
    uint64_t value = read_bits(d->bytes, offset, (unsigned)width);
    lua_pushinteger(L, (lua_Integer)((field & FIELD_LITTLE) ? big_to_little(value, (unsigned)width) : value));
    return 1;
}

/* d.name = v: writes a field through the layout (an error on a read-only object or a name it lacks). */
static int data_newindex(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    if (!d->writable)
        return luaL_error(L, "attempt to write to a read-only data object");
    lua_Integer field;
    if (!find_field(L, &field))
        return luaL_error(L, "attempt to write a field that the data object's layout does not have");
    size_t offset = (size_t)(field >> 24), width = (size_t)((field >> 2) & FIELD_MAX_LENGTH);
    if (field & FIELD_STRING) {
        size_t length;
        const char *text = luaL_checklstring(L, 3, &length);
        if (length > width)
            return luaL_error(L, "string longer than its field");
        if (offset + width > d->length)
            return luaL_error(L, "field lies outside the data object");
        memcpy(d->bytes + offset, text, length);
        return 0;
    }
    int integer;
    lua_Integer value = lua_tointegerx(L, 3, &integer);
    if (!integer)
        return luaL_error(L, "a number field takes an integer");
    if (offset + width > d->length * 8)
        return luaL_error(L, "field lies outside the data object");
    uint64_t bits = (uint64_t)value;
    if (width < 64)
        bits &= (1ull << width) - 1;
    write_bits(d->bytes, offset, (unsigned)width, (field & FIELD_LITTLE) ? little_to_big(bits, (unsigned)width) : bits);
    return 0;
}

static int data_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)((struct data *)luaL_checkudata(L, 1, DATA_META))->length);
    return 1;
}

static int data_tostring(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    lua_pushlstring(L, (const char *)d->bytes, d->length);
    return 1;
}

/* ---- nflua.transport and nflua.payload: the per-packet helpers of nfluad the benchmarked rules call ---- */

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* Finds the transport in an IP packet: its offset, end and protocol; 0 when there is none (not IP, a later
 * fragment, a header cut short). */
static int find_transport(const struct data *d, size_t *start, size_t *end, int *protocol)
{
    const uint8_t *b = d->bytes;
    size_t n = d->length;
    if (n >= 20 && b[0] >> 4 == 4) {
        size_t ihl = (size_t)(b[0] & 15) * 4, total = be16(b + 2);
        if (ihl < 20 || total < ihl || ihl > n || (be16(b + 6) & 0x1fff) != 0)
            return 0;
        *start = ihl;
        *end = total < n ? total : n;
        *protocol = b[9];
    } else if (n >= 40 && b[0] >> 4 == 6) {
        size_t at = 40, total = 40 + (size_t)be16(b + 4);
        int next = b[6];
        *end = total < n ? total : n;
        for (int hops = 0; hops < 8; hops++) {   /* extension headers: hop-by-hop, routing, fragment, options, AH */
            if (next != 0 && next != 43 && next != 44 && next != 60 && next != 51)
                break;
            if (at + 8 > *end)
                return 0;
            if (next == 44 && (be16(b + at + 2) & 0xfff8) != 0)
                return 0;
            size_t size = next == 44 ? 8 : next == 51 ? ((size_t)b[at + 1] + 2) * 4 : ((size_t)b[at + 1] + 1) * 8;
            next = b[at];
            at += size;
        }
        if (at > *end)
            return 0;
        *start = at;
        *protocol = next;
    } else {
        return 0;
    }
    size_t left = *end - *start;
    if ((*protocol == 6 && (left < 20 || (size_t)(b[*start + 12] >> 4) * 4 < 20)) || (*protocol == 17 && left < 8)
        || ((*protocol == 1 || *protocol == 58) && left < 8))
        return 0;
    if (*protocol == 17 && be16(b + *start + 4) >= 8 && be16(b + *start + 4) < left)
        *end = *start + be16(b + *start + 4);
    return 1;
}

/* upvalues: the tcp, udp and icmp layouts */
static int nflua_transport(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    size_t start, end;
    int protocol;
    if (!find_transport(d, &start, &end, &protocol)) {
        lua_pushnil(L);
        return 1;
    }
    push_data(L, d->bytes + start, end - start, d->writable);
    int layout = protocol == 6 ? 1 : protocol == 17 ? 2 : protocol == 1 || protocol == 58 ? 3 : 0;
    if (layout) {
        lua_pushvalue(L, lua_upvalueindex(layout));
        lua_setiuservalue(L, -2, 1);
    }
    lua_pushinteger(L, protocol);
    return 2;
}

static int nflua_payload(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    size_t start, end;
    int protocol;
    if (!find_transport(d, &start, &end, &protocol) || (protocol != 6 && protocol != 17 && protocol != 1 && protocol != 58)) {
        lua_pushnil(L);
        return 1;
    }
    size_t header = protocol == 6 ? (size_t)(d->bytes[start + 12] >> 4) * 4 : 8;
    if (header > end - start) {
        lua_pushnil(L);
        return 1;
    }
    push_data(L, d->bytes + start + header, end - start - header, d->writable);
    return 1;
}

static void open_data(lua_State *L)
{
    static const luaL_Reg meta[] = {
        { "__index", data_index }, { "__newindex", data_newindex }, { "__len", data_len },
        { "__tostring", data_tostring }, { NULL, NULL }
    };
    luaL_newmetatable(L, DATA_META);
    luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcfunction(L, data_layout);
    lua_setfield(L, -2, "layout");
    lua_pushcfunction(L, data_new);
    lua_setfield(L, -2, "new");
    lua_setglobal(L, "data");

    /* nfluad's built-in transport layouts (the fields the rules read), made with data.layout itself */
    static const char layouts[] =
        "return data.layout{ src_port = {0, 16}, dst_port = {16, 16}, seq = {32, 32}, ack_seq = {64, 32},"
        "  data_offset = {96, 4}, flags = {104, 8}, cwr = {104, 1}, ece = {105, 1}, urg = {106, 1}, ack = {107, 1},"
        "  psh = {108, 1}, rst = {109, 1}, syn = {110, 1}, fin = {111, 1}, window = {112, 16}, checksum = {128, 16},"
        "  urgent = {144, 16} },"
        " data.layout{ src_port = {0, 16}, dst_port = {16, 16}, length = {32, 16}, checksum = {48, 16} },"
        " data.layout{ type = {0, 8}, code = {8, 8}, checksum = {16, 16}, id = {32, 16}, sequence = {48, 16} }";
    if (luaL_loadstring(L, layouts) != LUA_OK || lua_pcall(L, 0, 3, 0) != LUA_OK) {
        fprintf(stderr, "nfq_lua: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    lua_newtable(L);
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushvalue(L, -4);
    lua_pushcclosure(L, nflua_transport, 3);
    lua_setfield(L, -2, "transport");
    lua_pushcfunction(L, nflua_payload);
    lua_setfield(L, -2, "payload");
    lua_setglobal(L, "nflua");
    lua_pop(L, 3);
}

/* ---- --data-ops: the data module's operations, timed one by one (bench/refs/data-ops.lua) ---- */

/* The packet data-ops.lua describes: IPv4 (20 bytes, total length 200, protocol 6), TCP (ports 40000 -> 443,
 * seq 0x01020304, data offset 5), then 160 bytes of payload 'a', 'b', 'c', ... 'z', 'a', ... */
static void build_ops_packet(uint8_t *p)
{
    static const uint8_t head[40] = {
        0x45, 0x00, 0x00, 0xc8, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 127, 0, 0, 1, 127, 0, 0, 1,
        0x9c, 0x40, 0x01, 0xbb, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x50, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
    };
    memcpy(p, head, sizeof head);
    for (int i = 40; i < 200; i++)
        p[i] = (uint8_t)('a' + (i - 40) % 26);
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define OPS_REPS 7

/* Calls run(pkt, n) on a fresh packet; the nanoseconds it took, or a negative value on an error. */
static double time_op(lua_State *L, int run, uint8_t *packet, lua_Integer n)
{
    build_ops_packet(packet);
    lua_gc(L, LUA_GCCOLLECT);
    lua_rawgeti(L, LUA_REGISTRYINDEX, run);
    push_data(L, packet, 200, 1);
    lua_pushinteger(L, n);
    double t0 = now_ns();
    int status = lua_pcall(L, 2, 0, 0);
    double t1 = now_ns();
    if (status != LUA_OK) {
        fprintf(stderr, "nfq_lua: --data-ops: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    return t1 - t0;
}

static int data_ops(const char *file, lua_Integer n)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    open_data(L);
    if (luaL_dofile(L, file) != LUA_OK) {
        fprintf(stderr, "nfq_lua: %s\n", lua_tostring(L, -1));
        return 1;
    }
    if (lua_getglobal(L, "ops") != LUA_TTABLE) {
        fprintf(stderr, "nfq_lua: %s leaves no global table ops\n", file);
        return 1;
    }
    int ops = lua_gettop(L);
    static uint8_t packet[200];
    for (lua_Integer i = 1; lua_geti(L, ops, i) == LUA_TTABLE; i++) {
        lua_getfield(L, -1, "name");
        char name[256];
        snprintf(name, sizeof name, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "run") != LUA_TFUNCTION) {
            fprintf(stderr, "nfq_lua: op %s has no run function\n", name);
            return 1;
        }
        int run = luaL_ref(L, LUA_REGISTRYINDEX);
        if (time_op(L, run, packet, n / 10 > 0 ? n / 10 : 1) < 0)   /* warm-up: caches, string interning */
            return 1;
        double samples[OPS_REPS];
        for (int r = 0; r < OPS_REPS; r++)
            if ((samples[r] = time_op(L, run, packet, n)) < 0)
                return 1;
        qsort(samples, OPS_REPS, sizeof samples[0], by_value);
        printf("data-op %.1f %s\n", samples[OPS_REPS / 2] / (double)n, name);
        fflush(stdout);
        luaL_unref(L, LUA_REGISTRYINDEX, run);
        lua_pop(L, 1);
    }
    lua_close(L);
    return 0;
}

struct state {
    lua_State *L;
    int filter;
    unsigned long long errors;
};

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet, void *context)
{
    (void)message;
    struct state *s = context;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(packet);
    if (!header)
        return 0;
    uint32_t id = ntohl(header->packet_id);
    unsigned char *bytes = NULL;
    int length = nfq_get_payload(packet, &bytes);
    int verdict = NF_ACCEPT;
    if (length >= 0) {
        lua_rawgeti(s->L, LUA_REGISTRYINDEX, s->filter);
        push_data(s->L, bytes, (size_t)length, 0);
        if (lua_pcall(s->L, 1, 1, 0) == LUA_OK) {
            verdict = lua_toboolean(s->L, -1) ? NF_ACCEPT : NF_DROP;
        } else if (s->errors++ < 3) {
            fprintf(stderr, "nfq_lua: filter: %s\n", lua_tostring(s->L, -1));
        }
        lua_pop(s->L, 1);
    }
    return nfq_set_verdict(queue, id, verdict, 0, NULL);
}

int main(int argc, char **argv)
{
    char *end;
    if (argc >= 3 && argc <= 4 && strcmp(argv[1], "--data-ops") == 0) {
        long long n = argc == 4 ? strtoll(argv[3], &end, 10) : 1000000;
        if (argc == 4 && (*end != '\0' || n < 1)) {
            fprintf(stderr, "nfq_lua: N must be a positive integer\n");
            return 2;
        }
        return data_ops(argv[2], (lua_Integer)n);
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE SCRIPT\n       %s --data-ops FILE [N]\n", argv[0], argv[0]);
        return 2;
    }
    unsigned long number = strtoul(argv[1], &end, 10);
    if (*end != '\0' || number > 65535) {
        fprintf(stderr, "nfq_lua: QUEUE must be 0-65535\n");
        return 2;
    }

    struct state s = { .L = luaL_newstate() };
    luaL_openlibs(s.L);
    open_data(s.L);
    if (luaL_dofile(s.L, argv[2]) != LUA_OK) {
        fprintf(stderr, "nfq_lua: %s\n", lua_tostring(s.L, -1));
        return 1;
    }
    if (lua_getglobal(s.L, "filter") != LUA_TFUNCTION) {
        fprintf(stderr, "nfq_lua: %s defines no global function filter\n", argv[2]);
        return 1;
    }
    s.filter = luaL_ref(s.L, LUA_REGISTRYINDEX);

    struct nfq_handle *handle = nfq_open();
    if (!handle) {
        perror("nfq_lua: nfq_open");
        return 1;
    }
    struct nfq_q_handle *queue = nfq_create_queue(handle, (uint16_t)number, on_packet, &s);
    if (!queue || nfq_set_mode(queue, NFQNL_COPY_PACKET, 0xffff) < 0 || nfq_set_queue_maxlen(queue, QUEUE_MAXLEN) < 0) {
        perror("nfq_lua: binding the queue");
        return 1;
    }
    int fd = nfq_fd(handle);
    nfnl_rcvbufsiz(nfq_nfnlh(handle), QUEUE_MAXLEN * 2304);
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
    fprintf(stderr, "nfq_lua: queue %lu bound, filter from %s\n", number, argv[2]);

    static char buffer[0xffff + 4096] __attribute__((aligned));
    for (;;) {
        ssize_t got = recv(fd, buffer, sizeof buffer, 0);
        if (got < 0) {
            if (errno == ENOBUFS || errno == EINTR)
                continue;
            perror("nfq_lua: recv");
            return 1;
        }
        nfq_handle_packet(handle, buffer, (int)got);
    }
}
