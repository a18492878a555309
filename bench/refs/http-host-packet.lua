-- http-host-packet.lua: filter plain-HTTP requests by the host they ask for, one packet at a time.
-- bench/run's HTTP rule for nfluad and the C reference alike (nfq_lua.c has no TCP streams): the parsing, the
-- lists and the modes of examples/http-host-filter.lua unchanged, and its "midstream" branch as the whole
-- filter: each packet's payload is judged alone as if it started a request (a request head split over
-- segments is judged on its first part), and a refused request drops that packet only (no flow verdicts).
--
-- Queue the clients' packets, e.g.:
--   iptables -A OUTPUT -p tcp --dport 80 -j NFQUEUE --queue-num 0

local MODE = "deny"
local DENY = { "blocked.example", "*.ads.example" }
local ALLOW = { "intranet.example", "*.intranet.example" }

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
  local payload = nflua.payload(pkt)
  if payload == nil or #payload == 0 then return true end
  local hosts = request_hosts(tostring(payload))
  if hosts == nil then return true end
  return allowed(hosts)
end
