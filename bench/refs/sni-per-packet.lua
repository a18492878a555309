-- sni-per-packet.lua: examples/tls-sni-blocklist.lua as it was before issue 17 (one packet at a time, no
-- reassembly), kept for the benchmarks: NfLua.Bench --streams compares the stream-based example with it, and
-- bench/run's bulk TCP runs it on every data segment of an iperf3 transfer to port 443 (each payload is parsed:
-- not a TLS record, so it passes).
--
-- tls-sni-blocklist.lua: drop TLS connections to blocked server names, read from the ClientHello.
--
-- A TLS client names the server it wants in the server_name extension (SNI, RFC 6066) of its first
-- message, the ClientHello, in clear text. This rule parses the TLS record and the ClientHello at the
-- start of a TCP payload (any port: the record is recognised by its bytes, not by 443) and drops the
-- packet when the host name is on BLOCKED:
--   "ads.example"     exactly that name;
--   "*.ads.example"   every name under ads.example (www.ads.example, a.b.ads.example), not ads.example
--                     itself: list both to block both.
-- Names compare case-insensitively, a trailing dot ignored.
-- Everything else passes: other TCP payloads, TLS records that are not a ClientHello, a ClientHello
-- without a host name, and anything malformed (a length that overruns what holds it, a vector of the
-- wrong size, a name longer than 255 bytes). The rule never guesses, and never fails on odd input:
-- every read goes through data segments, which are nil where the bytes are not there.
--
-- Queue the clients' packets to the servers (both families):
--   iptables  -A FORWARD -p tcp --dport 443 -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -p tcp --dport 443 -j NFQUEUE --queue-num 0 --queue-bypass
-- (on the client itself: -A OUTPUT). To spare nfluad the rest of each connection, let the rule mark
-- the flows it passed and use packaging/iptables/offload-connmark.rules (see offload-mark.lua).
-- Try it offline:
--   nflua-ctl test examples/tls-sni-blocklist.lua examples/captures/tls-sni-blocklist.pcap
--   tcpdump -i eth0 -w tls.pcap 'tcp port 443'; nflua-ctl test examples/tls-sni-blocklist.lua tls.pcap
--
-- Limits:
-- - One packet at a time, no reassembly. A ClientHello split across TCP segments (large hellos, such
--   as those with post-quantum key shares, exceed one segment) or across TLS records is judged on the
--   part in this packet: the rule reads up to the end of what it has, so a name in the first segment
--   is found, but a server_name extension in a later segment is not seen and the hello passes.
-- - A dropped ClientHello is retransmitted by the client and dropped again until the client gives up:
--   the connection hangs rather than being refused (NFQUEUE cannot send a reset).
-- - Encrypted ClientHello (ECH) hides the real name behind a public one; QUIC (HTTP/3, UDP 443)
--   encrypts its ClientHello: block UDP 443 too if clients must fall back to TCP.

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

-- A vector with a `size`-byte length prefix at `offset` of d: its body and the offset after it, or
-- nil when the prefix or the body is not all inside d. With `clip`, a body cut by d's end is
-- shortened to what d holds (d is a message that continues in a later record or segment).
local function vector(d, offset, size, clip)
  local prefix = d:segment(offset, size)
  if prefix == nil then return nil end
  local length = prefix:layout(size == 1 and U8 or U16).value
  local start = offset + size
  if clip and start + length > #d then length = #d - start end
  local body = d:segment(start, length)
  if body == nil then return nil end
  return body, start + length
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

-- The SNI host name of a ClientHello at the start of payload, or nil.
local function client_hello_name(payload)
  payload:layout(RECORD)
  if payload.content_type ~= HANDSHAKE_TYPE or payload.major ~= 3 or payload.length == nil then return nil end
  -- The record, or its part in this packet when it continues in the next segment.
  local fragment = payload:segment(5, math.min(payload.length, #payload - 5))
  fragment:layout(HANDSHAKE)
  if fragment.msg_type ~= CLIENT_HELLO or fragment.length == nil then return nil end
  -- The hello, or its part in this record when it continues in the next record or segment.
  local cut = fragment.length > #fragment - 4
  local hello = fragment:segment(4, cut and #fragment - 4 or fragment.length)

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
  extensions, at = vector(hello, at, 2, cut)
  if extensions == nil or (not cut and at ~= #hello) then return nil end

  -- Walk every extension: the name counts only when the whole list is well formed (up to the end
  -- of this packet when the hello is cut).
  local name
  at = 0
  for _ = 1, MAX_EXTENSIONS do
    if at == #extensions then return name end
    local header = extensions:segment(at, 4)
    if header == nil then return cut and name or nil end
    header:layout(EXTENSION)
    local body = extensions:segment(at + 4, header.length)
    if body == nil then return cut and name or nil end
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
  local _, protocol = nflua.transport(pkt)
  if protocol ~= 6 then return true end
  local payload = nflua.payload(pkt)
  if payload == nil or #payload < 9 then return true end   -- a record header and a handshake header
  local name = client_hello_name(payload)
  if name ~= nil and blocked(name) then return false end
  return true
end
