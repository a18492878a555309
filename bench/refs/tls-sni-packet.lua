-- tls-sni-packet.lua: drop TLS ClientHellos naming blocked servers, one packet at a time.
-- bench/run's TLS rule for nfluad and the C reference alike (nfq_lua.c has no TCP streams): the parsing and
-- the list of examples/tls-sni-blocklist.lua unchanged, and its "midstream" branch as the whole filter: a
-- ClientHello wholly inside one packet's payload is read (one split over segments passes), and a blocked
-- name drops that packet only (no flow verdicts). The example before issue 17 worked the same way.
--
-- Queue the clients' packets, e.g.:
--   iptables -A OUTPUT -p tcp --dport 443 -j NFQUEUE --queue-num 0

local BLOCKED = {
  "blocked.example",
  "*.ads.example",
  "Tracker.Example.NET",
}

-- Exact names and "*." suffixes, in lower case, looked up by key.
local exact, under = {}, {}
for _, entry in ipairs(BLOCKED) do
  entry = entry:lower()
  if entry:sub(1, 2) == "*." then under[entry:sub(3)] = true else exact[entry] = true end
end

local function blocked(name)
  if exact[name] then return true end
  local from = 1
  for _ = 1, 128 do                          -- a 255-byte name has at most 127 dots
    local dot = name:find(".", from, true)
    if dot == nil then return false end
    if under[name:sub(dot + 1)] then return true end
    from = dot + 1
  end
  return false
end

-- TLS record header (RFC 8446 5.1) and handshake header (4.): a ClientHello is handshake type 1.
local RECORD = data.layout{ content_type = {0, 8}, major = {8, 8}, length = {24, 16} }
local HANDSHAKE = data.layout{ msg_type = {0, 8}, length = {8, 24} }
local EXTENSION = data.layout{ type = {0, 16}, length = {16, 16} }
local SERVER_NAME = data.layout{ name_type = {0, 8}, length = {8, 16} }
local U8 = data.layout{ value = {0, 8} }
local U16 = data.layout{ value = {0, 16} }
local HANDSHAKE_TYPE, CLIENT_HELLO, SERVER_NAME_EXT, HOST_NAME = 22, 1, 0, 0
local MAX_EXTENSIONS, MAX_NAMES = 64, 8

-- The first handshake message of d (a stream, or a packet's payload), joined from the handshake records
-- that carry it (RFC 8446 5.1: a message may span records, which DPI-evasion tools exploit):
-- the message (header included) as a data object; "more" while d ends before it does; nil when d does
-- not start with a handshake record.
local function first_handshake(d)
  local at, pieces, joined, need = 0, {}, 0, nil
  while true do
    local header = d:segment(at, math.min(5, #d - at))
    if header == nil or #header == 0 then return "more" end
    header:layout(RECORD)
    if header.content_type ~= HANDSHAKE_TYPE or (header.major or 3) ~= 3 then return nil end
    if header.length == nil then return "more" end
    local fragment = d:segment(at + 5, header.length)
    if fragment == nil then return "more" end
    if at == 0 and #fragment >= 4 then
      need = 4 + fragment:layout(HANDSHAKE).length
      if #fragment >= need then return fragment:segment(0, need) end   -- the usual case: one record
    end
    pieces[#pieces + 1] = tostring(fragment)
    joined = joined + #fragment
    if need == nil and joined >= 4 then
      need = 4 + data.new(table.concat(pieces)):layout(HANDSHAKE).length
    end
    if need ~= nil and joined >= need then
      return data.new(table.concat(pieces)):segment(0, need)
    end
    at = at + 5 + header.length
  end
end

-- A vector with a `size`-byte length prefix at `offset` of d: its body and the offset after it, or
-- nil when the prefix or the body is not all inside d.
local function vector(d, offset, size)
  local prefix = d:segment(offset, size)
  if prefix == nil then return nil end
  local start = offset + size
  local body = d:segment(start, prefix:layout(size == 1 and U8 or U16).value)
  if body == nil then return nil end
  return body, start + #body
end

-- The host name of a server_name extension's body, or nil (RFC 6066 3: a list of typed names).
local function host_name(body)
  local list, after = vector(body, 0, 2)
  if list == nil or after ~= #body then return nil end
  local at = 0
  for _ = 1, MAX_NAMES do
    local entry = list:segment(at, 3)
    if entry == nil then return nil end
    entry:layout(SERVER_NAME)
    local name = list:segment(at + 3, entry.length)
    if name == nil then return nil end
    if entry.name_type == HOST_NAME then
      if #name == 0 or #name > 255 then return nil end
      return (tostring(name):lower():gsub("%.$", ""))
    end
    at = at + 3 + entry.length
  end
  return nil
end

-- The SNI host name of a whole ClientHello message (its handshake header included), or nil.
local function client_hello_name(message)
  if message:layout(HANDSHAKE).msg_type ~= CLIENT_HELLO then return nil end
  local hello = message:segment(4)

  -- legacy_version (2) and random (32), then session id, cipher suites, compression methods.
  local session, at = vector(hello, 34, 1)
  if session == nil or #session > 32 then return nil end
  local suites
  suites, at = vector(hello, at, 2)
  if suites == nil or #suites < 2 or #suites % 2 ~= 0 then return nil end
  local methods
  methods, at = vector(hello, at, 1)
  if methods == nil or #methods < 1 then return nil end
  local extensions
  extensions, at = vector(hello, at, 2)
  if extensions == nil or at ~= #hello then return nil end

  -- Walk every extension: the name counts only when the whole list is well formed.
  local name
  at = 0
  for _ = 1, MAX_EXTENSIONS do
    if at == #extensions then return name end
    local header = extensions:segment(at, 4)
    if header == nil then return nil end
    header:layout(EXTENSION)
    local body = extensions:segment(at + 4, header.length)
    if body == nil then return nil end
    if header.type == SERVER_NAME_EXT then
      if name ~= nil then return nil end      -- twice the same extension (RFC 8446 4.2)
      name = host_name(body)
      if name == nil then return nil end
    end
    at = at + 4 + header.length
  end
  return nil
end

function filter(pkt)
  local payload = nflua.payload(pkt)
  if payload == nil or #payload == 0 then return true end
  local message = first_handshake(payload)
  if type(message) ~= "userdata" then return true end
  local name = client_hello_name(message)
  return not (name and blocked(name))
end
