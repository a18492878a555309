-- dns-qname-blocklist.lua: drop DNS queries for names under blocked domains.
--
-- Reads the question of DNS queries sent over UDP to port 53 (RFC 1035 4.1), IPv4 and IPv6, decodes
-- its QNAME label by label, and drops the query when the name is one of BLOCKED or lies under one of
-- them: "ads.example" blocks ads.example, www.ads.example and a.b.ads.example, not bads.example.
-- Names compare case-insensitively (resolvers randomise the case of queries, "DNS 0x20").
-- Passes: responses, other opcodes, queries with no or several questions (servers refuse those),
-- and anything malformed: a label running past the datagram, a name over 255 bytes or 127 labels,
-- a missing QTYPE/QCLASS, a compression pointer (a query's only question has nothing earlier to point
-- to: a pointer there is an evasion attempt or garbage) or a reserved label type.
--
-- Queue the queries (on a resolver host: OUTPUT; on a router: FORWARD), both families:
--   iptables  -A FORWARD -p udp --dport 53 -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -p udp --dport 53 -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline:
--   nflua-ctl test examples/dns-qname-blocklist.lua examples/captures/dns-qname-blocklist.pcap
--   tcpdump -i eth0 -w dns.pcap 'udp port 53'; nflua-ctl test examples/dns-qname-blocklist.lua dns.pcap
--
-- Limits:
-- - A dropped query gets no answer: the client retries, then gives up after its timeout (seconds),
--   where a resolver-level block list answers NXDOMAIN at once.
-- - DNS over TCP (port 53), over TLS (853) and over HTTPS (443) are not read.
-- - A label holding a dot ("a.b" as one label) is compared as if it were two labels: it can only make
--   the rule block more, never less.

local BLOCKED = {
  "blocked.example",
  "ads.example",
  "Tracker.Example.NET",
}

local domains = {}
for _, name in ipairs(BLOCKED) do domains[name:lower()] = true end

-- Is name (lower case) a listed domain or under one?
local function blocked(name)
  if domains[name] then return true end
  local from = 1
  for _ = 1, 128 do
    local dot = name:find(".", from, true)
    if dot == nil then return false end
    if domains[name:sub(dot + 1)] then return true end
    from = dot + 1
  end
  return false
end

local HEADER = data.layout{ qr = {16, 1}, opcode = {17, 4}, qdcount = {32, 16} }
local U8 = data.layout{ value = {0, 8} }
local HEADER_BYTES, MAX_LABELS, MAX_NAME_BYTES = 12, 127, 255
local DNS_PORT, QUERY = 53, 0

-- The QNAME of the query in message, in lower case, or nil when it is not a well-formed standard
-- query with one question.
local function query_name(message)
  if #message < HEADER_BYTES then return nil end
  message:layout(HEADER)
  if message.qr ~= 0 or message.opcode ~= QUERY or message.qdcount ~= 1 then return nil end
  local labels, at = {}, HEADER_BYTES
  for _ = 1, MAX_LABELS + 1 do
    local prefix = message:segment(at, 1)
    if prefix == nil then return nil end
    local length = prefix:layout(U8).value
    if length == 0 then
      -- The root label ends the name; QTYPE and QCLASS (2 bytes each) follow it.
      if #labels == 0 or message:segment(at + 1, 4) == nil then return nil end
      return table.concat(labels, ".")
    end
    -- 0xC0 is a compression pointer, 0x40 and 0x80 are reserved label types: none belongs here.
    if length >= 64 then return nil end
    local label = message:segment(at + 1, length)
    if label == nil then return nil end
    at = at + 1 + length
    if at - HEADER_BYTES + 1 > MAX_NAME_BYTES then return nil end   -- with the root label's byte
    labels[#labels + 1] = tostring(label):lower()
  end
  return nil
end

function filter(pkt)
  local udp, protocol = nflua.transport(pkt)
  if protocol ~= 17 or udp.dst_port ~= DNS_PORT then return true end
  local message = udp:segment(8)
  if message == nil then return true end
  local name = query_name(message)
  if name ~= nil and blocked(name) then return false end
  return true
end
