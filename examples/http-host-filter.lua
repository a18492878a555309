-- http-host-filter.lua: filter plain-HTTP requests by the host they ask for.
--
-- A TCP payload that starts with an HTTP/1.x request line ("GET /path HTTP/1.1\r\n") is a request:
-- the rule reads its header lines up to the empty line that ends them (or the end of the packet),
-- takes every Host header (name in any case, port and trailing dot removed, value in lower case)
-- and, for a request in absolute form ("GET http://host:8080/ HTTP/1.1", sent to proxies), the
-- target's host too, and judges the request by all of them:
--   MODE = "deny":  drop when any of them is on DENY; everything else passes;
--   MODE = "allow": drop unless there is at least one and every one is on ALLOW.
-- List entries are exact names ("intranet.example"), "*.suffix" for every name under suffix (not
-- suffix itself), or bracketed IPv6 literals as they appear in Host ("[2001:db8::1]").
-- Passes whatever is not the start of a request: responses, request bodies, the later segments of a
-- request, TLS, anything else.
--
-- Queue the requests (port 80 here; add your proxies' ports), both families:
--   iptables  -A FORWARD -p tcp --dport 80 -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A FORWARD -p tcp --dport 80 -j NFQUEUE --queue-num 0 --queue-bypass
-- Every request of a keep-alive connection is judged, so queue all of the connection's packets
-- (packets without a request line pass quickly).
-- Try it offline:
--   nflua-ctl test examples/http-host-filter.lua examples/captures/http-host-filter.pcap
--
-- Limits:
-- - One packet at a time: only the headers in the request's first segment are read. In "allow" mode a
--   request whose first segment has no Host header is dropped (clients send Host early; HTTP/1.0
--   requests without Host are refused too). A client that wants to can split its headers across
--   segments: this is policy for ordinary clients, not a barrier against a hostile one.
-- - Of several requests pipelined in one segment, only the first is judged.
-- - HTTPS carries the host name in the TLS ClientHello instead: see tls-sni-blocklist.lua.
-- - A dropped request is retransmitted and dropped again until the client gives up.

local MODE = "deny"
local DENY = { "blocked.example", "*.ads.example" }
local ALLOW = { "intranet.example", "*.intranet.example" }

local MAX_HEAD_BYTES, MAX_HEADERS = 8192, 100

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

-- The hosts a request at the start of text names, or nil when text is not the start of a request.
local function request_hosts(text)
  local target, at = text:match("^%u[%u%-_]* (%S+) HTTP/1%.[01]\r\n()")
  if target == nil then return nil end
  local hosts = {}
  local authority = target:match("^[Hh][Tt][Tt][Pp][Ss]?://([^/?#]*)")
  if authority ~= nil then hosts[#hosts + 1] = host_of(authority) end
  for _ = 1, MAX_HEADERS do
    local line_end = text:find("\r\n", at, true)
    if line_end == nil or line_end == at then break end   -- the headers go on in a later segment, or end here
    local name, value = text:sub(at, line_end - 1):match("^([^:]+):[ \t]*(.-)[ \t]*$")
    if name ~= nil and name:lower() == "host" then hosts[#hosts + 1] = host_of(value) end
    at = line_end + 2
  end
  return hosts
end

function filter(pkt)
  local _, protocol = nflua.transport(pkt)
  if protocol ~= 6 then return true end
  local payload = nflua.payload(pkt)
  if payload == nil or #payload == 0 then return true end
  local hosts = request_hosts(tostring(payload:segment(0, math.min(#payload, MAX_HEAD_BYTES))))
  if hosts == nil then return true end
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
