-- tls-sni-blocklist.lua: drop TLS connections to blocked server names, read from the ClientHello.
--
-- A TLS client names the server it wants in the server_name extension (SNI, RFC 6066) of its first
-- message, the ClientHello, in clear text. This rule follows each TCP connection from its SYN
-- (nflua.want_stream) and reads the ClientHello at the start of the client's stream, whatever the
-- segmentation: split over several segments, into tiny ones, sent out of order, or over several TLS
-- records, it is judged once the whole hello is there, as the server will read it (any port: the
-- record is recognised by its bytes, not by 443). A host name on BLOCKED drops the packet that
-- completes the hello and, for good, the whole connection (nflua.flow_verdict):
--   "ads.example"     exactly that name;
--   "*.ads.example"   every name under ads.example (www.ads.example, a.b.ads.example), not ads.example
--                     itself: list both to block both.
-- Names compare case-insensitively, a trailing dot ignored.
-- Any other complete hello, and a stream that does not start with one, accepts the connection for good:
-- once the receiver has acknowledged the bytes judged, its later packets pass without calling the rule.
-- A hello without a host name, and anything malformed (a length that overruns what holds it, a vector
-- of the wrong size, a name longer than 255 bytes) is accepted too: the server refuses a malformed
-- hello. The rule never fails on odd input: every read goes through data segments, which are nil where
-- the bytes are not there.
--
-- Queue both directions of the connections (both families), so that the rule sees the handshake and the
-- acknowledgements an accepted connection needs to leave the queue's Lua path:
--   iptables  -A FORWARD -p tcp -m multiport --ports 443 -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -p tcp -m multiport --ports 443 -j NFQUEUE --queue-num 0 --queue-bypass
-- (on the client itself: -A OUTPUT and -A INPUT). To spare nfluad the rest of each connection, let the
-- rule mark the flows it passed and use packaging/iptables/offload-connmark.rules (see offload-mark.lua).
-- Try it offline:
--   nflua-ctl test examples/tls-sni-blocklist.lua examples/captures/tls-sni-blocklist.pcap
--   tcpdump -i eth0 -w tls.pcap 'tcp port 443'; nflua-ctl test examples/tls-sni-blocklist.lua tls.pcap
--
-- Limits:
-- - A connection whose SYN the rule did not see (nfluad restarted, or the capture starts late, as the
--   sample capture does) is "midstream": each of its packets is judged alone, and only a ClientHello
--   wholly inside one packet is read (one split over segments passes).
-- - A SYN carrying data (TCP Fast Open) is dropped: the client retries without data.
-- - A ClientHello longer than DEPTH is dropped (ordinary ones are under 2 KB, 8 KB with many
--   pre-shared keys); so is a connection that sends bytes differing from bytes already sent, or what
--   the receiver would not take (docs/streams.md).
-- - A dropped ClientHello is retransmitted by the client and dropped again until the client gives up:
--   the connection hangs rather than being refused (NFQUEUE cannot send a reset).
-- - Encrypted ClientHello (ECH) hides the real name behind a public one; QUIC (HTTP/3, UDP 443)
--   encrypts its ClientHello: block UDP 443 too if clients must fall back to TCP.

local BLOCKED = {
  "blocked.example",
  "*.ads.example",
  "Tracker.Example.NET",
}

-- Bytes of each direction the rule reads: the ClientHello must fit.
local DEPTH = 16384
nflua.want_stream(DEPTH)

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
  local stream, why = nflua.stream(pkt)
  if why == "syn-data" then return false end
  if why == "midstream" then
    -- The connection's start was not seen: judge a ClientHello wholly inside this packet.
    local payload = nflua.payload(pkt)
    local message = payload and first_handshake(payload)
    if type(message) ~= "userdata" then return true end
    local name = client_hello_name(message)
    return not (name and blocked(name))
  end
  if stream == nil then return true end   -- no new bytes, a hole (judged when it fills), not TCP

  local message = first_handshake(stream)
  if message == "more" then
    if #stream < DEPTH then return true end  -- the rest of the hello is to come
    nflua.flow_verdict(pkt, "drop")          -- a hello longer than the depth: never judged whole
    return false
  end
  local name = message and client_hello_name(message)
  if name ~= nil and blocked(name) then
    nflua.flow_verdict(pkt, "drop")
    return false
  end
  nflua.flow_verdict(pkt, "accept")          -- not TLS, or a hello for a name not blocked
  return true
end
