/*
 * Reference (a) of the NfLua benchmark suite: what a C programmer would write to port the talk's design.
 * libnetfilter_queue in its callback style (one nfq_set_verdict per packet) and the Lua 5.4 C API calling
 * the script's global `filter` once per packet, from a registry reference. To run the same Lua text as
 * nfluad it provides the part of luadata's API the talk's rules use, compactly:
 *   data.layout{ name = {bit offset, width}, ... }   number fields, big-endian, most significant bit first
 *   d:layout(l) -> d      d.name -> integer or nil    d:segment(offset [, length]) -> view or nil
 *   #d                    tostring(d) -> the bytes as a Lua string
 * Verdicts as in nfluad: a true result accepts, anything else drops. No sandbox and no limits: that is the
 * cost NfLua adds and must win back elsewhere. Serves until killed; prints nothing on the hot path.
 *
 * usage: nfq_lua QUEUE SCRIPT
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

#define DATA_META "nfq_lua.data"
#define QUEUE_MAXLEN 1024

/* A view over packet bytes; its user value is the applied layout table (or nil). */
struct data {
    const uint8_t *bytes;
    size_t length;
};

static struct data *push_data(lua_State *L, const uint8_t *bytes, size_t length)
{
    struct data *d = lua_newuserdatauv(L, sizeof *d, 1);
    d->bytes = bytes;
    d->length = length;
    luaL_setmetatable(L, DATA_META);
    return d;
}

/* data.layout{ name = {offset, width} }: a table name -> offset * 128 + width (checked here, once). */
static int data_layout(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1), 1, "fields are name = {offset, width}");
        lua_geti(L, -1, 1);
        lua_geti(L, -2, 2);
        lua_Integer offset = luaL_checkinteger(L, -2), width = luaL_checkinteger(L, -1);
        luaL_argcheck(L, offset >= 0 && width >= 1 && width <= 64, 1, "bad field offset or width");
        lua_pop(L, 2);
        lua_pushvalue(L, -2);
        lua_pushinteger(L, offset * 128 + width);
        lua_rawset(L, -5);
        lua_pop(L, 1);
    }
    return 1;
}

static int data_apply_layout(lua_State *L)
{
    luaL_checkudata(L, 1, DATA_META);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushvalue(L, 2);
    lua_setiuservalue(L, 1, 1);
    lua_settop(L, 1);
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
    if (length < 0 || (size_t)(offset + length) > d->length) {
        lua_pushnil(L);
        return 1;
    }
    push_data(L, d->bytes + offset, (size_t)length);
    return 1;
}

/* d.name: a method, or a layout field read big-endian bit by bit (nil outside the view or the layout). */
static int data_index(lua_State *L)
{
    struct data *d = luaL_checkudata(L, 1, DATA_META);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "layout") == 0) {
        lua_pushcfunction(L, data_apply_layout);
        return 1;
    }
    if (strcmp(key, "segment") == 0) {
        lua_pushcfunction(L, data_segment);
        return 1;
    }
    if (lua_getiuservalue(L, 1, 1) != LUA_TTABLE) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNUMBER) {
        lua_pushnil(L);
        return 1;
    }
    lua_Integer field = lua_tointeger(L, -1);
    size_t offset = (size_t)(field / 128), width = (size_t)(field % 128);
    if (offset + width > d->length * 8) {
        lua_pushnil(L);
        return 1;
    }
    uint64_t value = 0;
    for (size_t bit = offset; bit < offset + width; bit++)
        value = (value << 1) | ((d->bytes[bit / 8] >> (7 - bit % 8)) & 1);
    lua_pushinteger(L, (lua_Integer)value);
    return 1;
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

static void open_data(lua_State *L)
{
    static const luaL_Reg meta[] = {
        { "__index", data_index }, { "__len", data_len }, { "__tostring", data_tostring }, { NULL, NULL }
    };
    luaL_newmetatable(L, DATA_META);
    luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushcfunction(L, data_layout);
    lua_setfield(L, -2, "layout");
    lua_setglobal(L, "data");
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
        push_data(s->L, bytes, (size_t)length);
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
    if (argc != 3) {
        fprintf(stderr, "usage: %s QUEUE SCRIPT\n", argv[0]);
        return 2;
    }
    char *end;
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
