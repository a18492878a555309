-- http-host-filter.lua: filter plain-HTTP requests by the host they ask for.
--
-- The rule follows each TCP connection from its SYN (nflua.want_stream) and reads the request head at
-- the start of the client's stream, whatever the segmentation: split over segments, in tiny ones, out
-- of order, it is judged once the head is complete (up to its empty line), as the server will read it.
-- A stream that starts with an HTTP/1.x request line ("GET /path HTTP/1.1") is a request: the rule
-- takes every Host header (name in any case, spaces around the value, port and trailing dot removed,
-- value in lower case) and, for a request in absolute form ("GET http://host:8080/ HTTP/1.1", sent to
-- proxies), the target's host too, and judges the request by all of them:
--   MODE = "deny":  drop when any of them is on DENY; everything else passes;
--   MODE = "allow": drop unless there is at least one and every one is on ALLOW.
-- List entries are exact names ("intranet.example"), "*.suffix" for every name under suffix (not
-- suffix itself), or bracketed IPv6 literals as they appear in Host ("[2001:db8::1]").
-- A dropped request drops the packet that completes its head and, for good, the whole connection
-- (nflua.flow_verdict). A request that passes, and a stream that does not start with a request line
-- (a response, TLS, anything else), accepts the connection for good: once the receiver has
-- acknowledged the bytes judged, its later packets pass without calling the rule. Lines may end in
-- CRLF or a bare LF, as servers accept both.
--
-- Queue both directions of the connections (port 80 here; add your proxies' ports), both families, so
-- that the rule sees the handshake and the acknowledgements:
--   iptables  -A FORWARD -p tcp -m multiport --ports 80 -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -p tcp -m multiport --ports 80 -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline:
--   nflua-ctl test examples/http-host-filter.lua examples/captures/http-host-filter.pcap
--
-- Limits:
-- - Only a connection's first request is judged: the connection is then accepted. A client can send
--   further requests on it (HTTP/1.1 keep-alive) naming another host the same server or proxy serves.
-- - A connection whose SYN the rule did not see (nfluad restarted, or the capture starts late, as the
--   sample capture does) is "midstream": each of its packets is judged alone, on the headers in that
--   packet, as if it started a request (a client can split its headers to evade that).
-- - A SYN carrying data (TCP Fast Open) is dropped: the client retries without data. A request head
--   longer than MAX_HEAD_BYTES is dropped.
-- - HTTPS carries the host name in the TLS ClientHello instead: see tls-sni-blocklist.lua.
-- - A dropped request is retransmitted and dropped again until the client gives up.

local MODE = "deny"
local DENY = { "blocked.example", "*.ads.example" }
local ALLOW = { "intranet.example", "*.intranet.example" }

local MAX_HEAD_BYTES = 16384
nflua.want_stream(MAX_HEAD_BYTES)

-- A matcher for a list: exact names and "*." suffixes, in lower case.
local function matcher(list)
  local exact, under = {}, {}
  for _, entry in ipairs(list) do
    entry = entry:lower()
    if entry:sub(1, 2) == "*." then under[entry:sub(3)] = true else exact[entry] = true end
  end
  return function(name)
    if exact[name] then return true end
    local from = 1
    for _ = 1, 128 do
      local dot = name:find(".", from, true)
      if dot == nil then return false end
      if under[name:sub(dot + 1)] then return true end
      from = dot + 1
    end
    return false
  end
end

assert(MODE == "deny" or MODE == "allow", "MODE must be \"deny\" or \"allow\"")
local listed = matcher(MODE == "deny" and DENY or ALLOW)

-- The host of a Host value or a URI authority: lower case, without user info, port or trailing dot.
local function host_of(authority)
  authority = authority:lower():gsub("^.*@", "")
  local literal = authority:match("^%[[%x:.]+%]")   -- an IPv6 literal keeps its brackets
  if literal then return literal end
  return (authority:gsub(":%d*$", ""):gsub("%.$", ""))
end

-- The request at the start of text: nil when text does not start with a request line, else the
-- hosts it names and whether the head is complete (its empty line is in text). Like servers, it skips
-- empty lines before the request line and takes several spaces where one is due.
local function request_hosts(text)
  local target, at = text:match("^[\r\n]*%u[%u%-_]*[ \t]+(%S+)[ \t]+HTTP/1%.[01][ \t]*\r?\n()")
  if target == nil then return nil end
  local hosts = {}
  local authority = target:match("^[Hh][Tt][Tt][Pp][Ss]?://([^/?#]*)")
  if authority ~= nil then hosts[#hosts + 1] = host_of(authority) end
  for _ = 1, #text do
    local line_end = text:find("\n", at, true)
    if line_end == nil then break end                 -- the head goes on in bytes not yet here
    local line = text:sub(at, line_end - 1):gsub("\r$", "")
    if line == "" then return hosts, true end         -- the empty line: the head is complete
    local name, value = line:match("^([^:]+):[ \t]*(.-)[ \t]*$")
    if name ~= nil and name:lower() == "host" then hosts[#hosts + 1] = host_of(value) end
    at = line_end + 1
  end
  return hosts, false
end

-- The verdict on a request naming hosts.
local function allowed(hosts)
  if MODE == "deny" then
    for _, host in ipairs(hosts) do
      if listed(host) then return false end
    end
    return true
  end
  if #hosts == 0 then return false end
  for _, host in ipairs(hosts) do
    if not listed(host) then return false end
  end
  return true
end

function filter(pkt)
  local stream, why = nflua.stream(pkt)
  if why == "syn-data" then return false end
  if why == "midstream" then
    -- The connection's start was not seen: judge this packet's headers alone, as a request's start.
    local payload = nflua.payload(pkt)
    local hosts = payload and request_hosts(tostring(payload))
    if hosts == nil then return true end
    return allowed(hosts)
  end
  if stream == nil then return true end   -- no new bytes, a hole (judged when it fills), not TCP

  local text = tostring(stream)
  local hosts, complete = request_hosts(text)
  if hosts == nil then
    -- Not a request line, unless it is still coming: empty lines, or a line starting with a capital.
    if #text < MAX_HEAD_BYTES and (text:find("^[\r\n]*$") or text:find("^[\r\n]*%u[^\n]*$")) then return true end
    nflua.flow_verdict(pkt, "accept")
    return true
  end
  if not complete then
    if #text < MAX_HEAD_BYTES then return true end   -- the rest of the head is to come
    nflua.flow_verdict(pkt, "drop")                   -- a head too long to judge
    return false
  end
  local ok = allowed(hosts)
  nflua.flow_verdict(pkt, ok and "accept" or "drop")
  return ok
end
