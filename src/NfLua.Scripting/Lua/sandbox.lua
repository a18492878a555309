-- NfLua's sandbox prelude. Runs once in every rule state, before the rule, with the host's
-- private table as its argument; leaves only the allow-listed globals and modules behind.
-- Libraries opened by the host: base, coroutine, table, string, math (integer), utf8.
local host = ...
local type, error, rawget, pairs, tostring = type, error, rawget, pairs, tostring
local setmetatable, getmetatable = setmetatable, getmetatable
local math_type, string_format = math.type, string.format

-- Nothing that reaches files, processes, the GC or other code: load, loadfile, dofile, print,
-- collectgarbage go; string.dump goes (and bytecode is refused at load by the host); warn goes
-- (with no warning function set it did nothing at all).
load, loadfile, dofile, print, collectgarbage, warn = nil, nil, nil, nil, nil, nil
string.dump = nil

-- A finaliser runs with hooks off, out of reach of every limit, and weak tables make the
-- collector's atomic phase work without bound (ephemerons): both are refused where metatables are
-- set, and NfLua's Lua ignores them in rule states anyway (a metatable that gains __mode or __gc
-- later changes nothing).
function _G.setmetatable(t, mt)
  if type(mt) == "table" then
    if rawget(mt, "__gc") ~= nil then error("__gc metamethods are not allowed in rules", 2) end
    if rawget(mt, "__mode") ~= nil then error("weak tables (__mode) are not allowed in rules", 2) end
  end
  return setmetatable(t, mt)
end

-- The string metatable stays the state's own: readable methods, no replacement.
getmetatable("").__metatable = "string"

---------------------------------------------------------------------------------------------
-- data: lneto/luadata's API over packets and buffers.
local ENDIAN = { big = 0, net = 0, little = 1, le = 1, host = 2 }
local KIND = { n = 0, number = 0, s = 1, string = 1 }
local LAYOUT = { __metatable = "layout" }
local MAX_OFFSET_BITS = 1 << 35
local MAX_STRING_BITS = 1 << 24

local function field(name, spec)
  local offset, length, kind, endian
  if spec.offset ~= nil or spec.length ~= nil then
    offset, length, kind, endian = spec.offset, spec.length, spec.type, spec.endian
  else
    offset, length, kind, endian = spec[1], spec[2], spec[3], spec[4]
    -- luadata's README shorthand {offset, length, 'little'}: the two vocabularies don't overlap.
    if endian == nil and ENDIAN[kind] ~= nil then kind, endian = nil, kind end
  end
  if math_type(offset) ~= "integer" or offset < 0 then
    error(string_format("field '%s': offset must be a non-negative integer", name), 4)
  end
  if math_type(length) ~= "integer" or length <= 0 then
    error(string_format("field '%s': length must be a positive integer", name), 4)
  end
  local k = KIND[kind == nil and "number" or kind]
  if k == nil then error(string_format("field '%s': unknown type '%s'", name, tostring(kind)), 4) end
  local e = ENDIAN[endian == nil and "big" or endian]
  if e == nil then error(string_format("field '%s': unknown endianness '%s'", name, tostring(endian)), 4) end
  if k == 1 then
    -- String fields count bytes. Check before converting to bits: a huge count would wrap around.
    if length >= MAX_STRING_BITS // 8 then error(string_format("field '%s' is too long", name), 4) end
    if offset >= MAX_OFFSET_BITS // 8 then error(string_format("field '%s' is too far", name), 4) end
    offset, length = offset * 8, length * 8
  elseif length > 64 then
    error(string_format("field '%s': number fields hold at most 64 bits", name), 4)
  end
  if offset >= MAX_OFFSET_BITS then error(string_format("field '%s' is too far", name), 4) end
  -- Packed for the host's field reader: bit offset, bit length, kind, endianness.
  return (offset << 28) | (length << 4) | (k << 2) | e
end

local data = {}

-- Makes a layout of a table of fields (a layout is returned as it is). Its errors name the line that
-- called the caller: the script's data.layout{...}, or its d:layout{...} (d:layout is C,
-- native/nflua_data.c, and calls this itself for anything but a layout).
local function build(spec)
  if getmetatable(spec) == "layout" then return spec end
  if type(spec) ~= "table" then error("data.layout expects a table of fields", 3) end
  local layout = {}
  for name, f in pairs(spec) do
    if type(name) ~= "string" then error("data.layout: field names must be strings", 3) end
    if type(f) ~= "table" then
      error(string_format("field '%s': expected {offset, length [, type] [, endian]}", name), 3)
    end
    layout[name] = field(name, f)
  end
  return setmetatable(layout, LAYOUT)
end

function data.layout(spec)
  local layout = build(spec)  -- not a tail call: build's error levels count this frame
  return layout
end

data.new = host.new

-- The data metatable's functions and d:segment are C (native/nflua_data.c, installed by the host):
-- no Lua wrapper, no managed call. d:layout is one C closure that knows the layouts' metatable and
-- calls build only for a table of fields that is not a layout yet.
host.methods.layout = host.layoutmethod(LAYOUT, build)
host.methods.segment = host.segment

---------------------------------------------------------------------------------------------
-- nflua: what NfLua adds for rules.
local nflua = {
  setmark = host.setmark,
  version = host.version,
  -- The packet's time in integer milliseconds: the time nfluad received it (a clock that never goes
  -- back; only differences mean something), or its timestamp in a capture under `nflua-ctl test`.
  now = host.now,
  layouts = {},
}

-- Messages, rate-limited per rule: nflua.log([level,] message) with level "debug", "info" (the default) or
-- "warning", tagged with the rule, queue and 5-tuple; nflua.alert(message [, fields]) records an event with the
-- packet's final verdict and the fields (strings, integers, booleans). Both are the host's C functions behind a gate:
-- while the rule's limit refuses, a call is counted and returns at once, its arguments unchecked (they are checked
-- whenever a message is let through). nflua.alerting() / nflua.logging(): whether a message would be let through
-- now; false counts it as refused, so `if nflua.alerting() then nflua.alert(m, {...}) end` builds the fields only
-- when they are kept.
nflua.log, nflua.alert = host.log, host.alert
nflua.logging, nflua.alerting = host.logging, host.alerting

-- A read-only view of a table: reads, # and pairs reach it; writes are errors.
local function readonly(t, what)
  for k, v in pairs(t) do
    if type(v) == "table" then rawset(t, k, readonly(v, what)) end
  end
  return setmetatable({}, {
    __index = t,
    __newindex = function() error(what .. " is read-only", 2) end,
    __len = function() return #t end,
    __pairs = function() return next, t, nil end,
    __metatable = what,
  })
end

-- The operator's parameters for this rule (configuration params = {...}, nflua-ctl load --param).
nflua.params = readonly(host.params, "nflua.params")

-- The current packet's metadata: hook, interfaces, uid/gid, mark, priority, hwaddr, gso, len.
-- One view for every call (nothing is made per packet); outside a call its fields read nil.
local metaview = setmetatable({}, {
  __index = host.metaindex,
  __newindex = function() error("nflua.meta(pkt) is read-only", 2) end,
  __metatable = "meta",
})
function nflua.meta(pkt) return metaview end

-- Named sets the daemon loads from files: nflua.set(NAME) returns a handle whose :contains(x) is
-- true when x (address text, a domain or a string) is in the set; a cidr set also takes a packet
-- and "src" or "dst". Unknown names are an error (in the main chunk: the rule does not load).
-- Both are host functions that raise their own errors (through the native trampoline): a lookup
-- is one C call, with no Lua function around it.
host.setmetatable.__index = { contains = host.setcontains }
nflua.set = host.getset
for protocol, fields in pairs(host.builtin) do nflua.layouts[protocol] = data.layout(fields) end
local layouts = nflua.layouts
local VERSION = data.layout{ version = {0, 4} }
local TRANSPORT = { [6] = layouts.tcp, [17] = layouts.udp, [1] = layouts.icmp, [58] = layouts.icmpv6,
                    [47] = layouts.gre, [132] = layouts.sctp }
local locate, addresses, parsecidr, incidr, flow = host.locate, host.addresses, host.parsecidr, host.incidr, host.flow

-- pkt with the ipv4 or ipv6 layout applied, and the IP version; nil for anything else.
function nflua.ip(pkt)
  local version = pkt:layout(VERSION).version
  if version == 4 then return pkt:layout(layouts.ipv4), 4 end
  if version == 6 then return pkt:layout(layouts.ipv6), 6 end
  return nil
end

-- The transport header (with the tcp, udp, icmp, icmpv6, gre or sctp layout applied) and the protocol
-- number; the segment ends where the transport does (a UDP datagram's length, else the IP packet's end).
-- Other protocols (ESP, IGMP, IP-in-IP...) give a segment without a layout. nil for truncated or
-- malformed TCP/UDP/ICMP headers, later fragments, and packets that are not IP.
function nflua.transport(pkt)
  local protocol, offset, length = locate(pkt)
  if protocol == nil then return nil end
  local segment = pkt:segment(offset, length)
  if segment == nil then return nil end
  local layout = TRANSPORT[protocol]
  if layout ~= nil then segment:layout(layout) end
  return segment, protocol
end

-- The transport payload (after the TCP/UDP/ICMP header, up to the end the transport gives), or nil
-- (also for protocols whose header NfLua does not know: nflua.transport gives their bytes).
function nflua.payload(pkt)
  local protocol, _, _, offset, length = locate(pkt)
  if offset == nil then return nil end
  return pkt:segment(offset, length)
end

-- Source and destination addresses as text ("192.0.2.1", "2001:db8::1"), or nil.
nflua.addresses = addresses

-- A network matcher: nflua.cidr("10.0.0.0/8")(address) is true for addresses inside it.
function nflua.cidr(text)
  local ok, err = parsecidr(text)
  if not ok then error(err, 2) end
  return function(address) return incidr(address, text) end
end

-- The table that keeps this flow's state across packets (both directions share it); bounded
-- in number and expiring when idle; nil for packets that are not IP.
nflua.flow = flow

-- TCP streams and flow verdicts (docs/streams.md). want_stream([depth]) in the main chunk makes NfLua
-- follow every TCP connection this rule sees from its SYN; stream(pkt) is then a read-only data object
-- over this direction's contiguous bytes (this packet's included), or nil and why ("midstream", "hole",
-- "depth", "no-data", "syn-data", "not-tcp"). flow_verdict(pkt, "drop" | "accept") makes the verdict
-- stick to the flow, both directions.
local wantstream, stream, flowverdict = host.wantstream, host.stream, host.flowverdict
function nflua.want_stream(depth)
  local ok, err = wantstream(depth)
  if not ok then error(err, 2) end
end
function nflua.stream(pkt)
  local s, why = stream(pkt)
  if s == false then error(why, 2) end
  return s, why
end
-- interest{ protocol = 6, port = { 80, 443 }, src_port = ..., dst_port = ... }: the packets this rule wants to see;
-- the queue skips the rule, without a call, for every other packet. A value is an integer or a "first-last" range.
local addinterest = host.interest
local INTEREST = { protocol = { 0, 255 }, port = { 1, 65535 }, src_port = { 2, 65535 }, dst_port = { 3, 65535 } }
function nflua.interest(spec)
  if type(spec) ~= "table" then error("nflua.interest takes a table: nflua.interest{ protocol = 6, port = { 80, 443 } }", 2) end
  for key, values in pairs(spec) do
    local kind = INTEREST[key]
    if kind == nil then error(string_format("nflua.interest: unknown key '%s' (protocol, port, src_port, dst_port)", tostring(key)), 2) end
    if type(values) ~= "table" then values = { values } end
    if #values == 0 then error(string_format("nflua.interest: %s lists nothing", key), 2) end
    for _, v in ipairs(values) do
      local first, last = v, v
      if type(v) == "string" then
        local a, b = v:match("^(%d+)%-(%d+)$")
        if a ~= nil then first, last = tonumber(a), tonumber(b) else first = nil end
      end
      if math_type(first) ~= "integer" or math_type(last) ~= "integer" or first < 0 or last > kind[2] or first > last then
        error(string_format("nflua.interest: %s takes integers or \"first-last\" ranges from 0 to %d, not %s", key, kind[2], tostring(v)), 2)
      end
      local ok, err = addinterest(kind[1], first, last)
      if not ok then error(err, 2) end
    end
  end
end
function nflua.flow_verdict(pkt, verdict)
  local ok, err = flowverdict(pkt, verdict)
  if not ok then error(err, 2) end
  return true
end

local modules = { data = data, nflua = nflua }
_G.data, _G.nflua = data, nflua

-- require: the built-in modules, and the trusted modules the configuration names (module { ... }),
-- each run once in this rule's own state and kept (no state is shared between rules).
local preload, loading = host.preload, {}
function _G.require(name)
  local m = modules[name]
  if m ~= nil then return m end
  local loader = preload[name]
  if loader == nil then
    local names = {}
    for n in pairs(preload) do names[#names + 1] = n end
    table.sort(names)
    local others = #names > 0 and (", or the configuration's modules: " .. table.concat(names, ", ")) or ""
    error(string_format("module '%s' not found: rules can require 'data' and 'nflua'%s", tostring(name), others), 2)
  end
  if loading[name] then error(string_format("module '%s' requires itself", name), 2) end
  loading[name] = true
  local result = loader(name)
  loading[name] = nil
  if result == nil then result = true end
  modules[name] = result
  return result
end
