-- blocklist-sets.lua: drop traffic to or from blocked networks, and DNS queries for blocked names,
-- with the lists in files the daemon loads as sets.
--
-- Two named sets (nflua.set), read by nfluad from files, shared by every rule that uses them and kept
-- outside the rule's Lua memory, so a list of a million entries costs the rule nothing to load and
-- one lookup per packet (longest-prefix match, or name and parents) to use:
--   bad-nets     kind "cidr": IPv4 and IPv6 networks, one a line ("192.0.2.0/24", "2001:db8::/32",
--                or an address alone); a packet from or to one of them is dropped
--   bad-domains  kind "domain": names, one a line; a DNS query (UDP to port 53) for a listed name or
--                any name under it is dropped ("ads.example" blocks www.ads.example, not bads.example;
--                case-insensitive, a trailing dot ignored)
-- Lines starting with # are comments. Change the lists at run time without reloading the rule:
--   nflua-ctl set add bad-nets 203.0.113.0/24;  nflua-ctl set load bad-domains /etc/nflua/lists/new.txt
--
-- In the configuration (file paths relative to nfluad.lua):
--   set { "bad-nets", kind = "cidr", file = "lists/bad-nets.txt" }
--   set { "bad-domains", kind = "domain", file = "lists/bad-domains.txt" }
--   queue { 0, rule { "blocklist", script = "rules/blocklist-sets.lua" } }
-- Parameters (optional): `nets` and `domains` name other sets (params = { nets = "tor-exits" }).
--
-- Queue what must be checked, e.g. everything forwarded, both families:
--   iptables  -A FORWARD -m conntrack --ctstate NEW -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -m conntrack --ctstate NEW -j NFQUEUE --queue-num 0 --queue-bypass
-- or only telnet connection attempts, to drop those from listed networks:
--   iptables  -A INPUT -p tcp --dport 23 --syn -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline, in examples/ (or /usr/share/nflua/examples/), with the small lists of lists/:
--   nflua-ctl test blocklist-sets.lua captures/blocklist-sets.pcap --set bad-nets=cidr:lists/bad-nets.txt --set bad-domains=domain:lists/bad-domains.txt
--
-- Limits: a DNS query is read only over UDP to port 53 (not TCP, DoT or DoH), and only a standard
-- query with one question and no compression pointer (what resolvers send); anything else passes
-- unless its addresses are listed. A dropped query gets no answer (the client times out), where a
-- resolver-level block answers NXDOMAIN at once. With `--ctstate NEW` only a connection's first
-- packet is checked: a network added to the set later does not cut connections already open.

local params = nflua.params
local nets = nflua.set(params.nets or "bad-nets")          -- an unknown set stops the rule from loading
local domains = nflua.set(params.domains or "bad-domains")

-- The DNS question, read as dns-qname-blocklist.lua reads it (see there): the header, then the QNAME
-- label by label, bounded.
local HEADER = data.layout{ qr = {16, 1}, opcode = {17, 4}, qdcount = {32, 16} }
local U8 = data.layout{ value = {0, 8} }
local HEADER_BYTES, MAX_LABELS, MAX_NAME_BYTES = 12, 127, 255
local DNS_PORT, QUERY = 53, 0

-- The QNAME of the query in message, or nil when it is not a well-formed standard query with one
-- question.
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
    if length >= 64 then return nil end   -- a compression pointer or a reserved label type
    local label = message:segment(at + 1, length)
    if label == nil then return nil end
    at = at + 1 + length
    if at - HEADER_BYTES + 1 > MAX_NAME_BYTES then return nil end
    labels[#labels + 1] = tostring(label)
  end
  return nil
end

function filter(pkt)
  -- Addresses first: one lookup each, no string made.
  if nets:contains(pkt, "src") or nets:contains(pkt, "dst") then return false end
  local udp, protocol = nflua.transport(pkt)
  if protocol ~= 17 or udp.dst_port ~= DNS_PORT then return true end
  local message = udp:segment(8)
  if message == nil then return true end
  local name = query_name(message)
  if name ~= nil and domains:contains(name) then return false end
  return true
end
