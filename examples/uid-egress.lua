-- uid-egress.lua: let only listed users send traffic out; drop what other local users send.
--
-- On the OUTPUT hook the kernel tells nfluad which user owns the socket that sent each packet
-- (nflua.meta(pkt).uid: the sending process's real uid). A packet whose uid is in the list passes;
-- a packet of any other uid is dropped, so that user's connections fail (a dropped SYN: connect()
-- times out; a dropped UDP datagram: no answer).
--
-- Some packets have no uid: those the kernel sends itself (a TCP reset, an ICMP error), those sent
-- from a socket already closed, and every packet on a hook other than OUTPUT and POSTROUTING
-- (forwarded traffic, traffic coming in). They get the `no_uid` verdict: passed unless told otherwise.
-- Packets to the loopback interface (outdev "lo", local services talking to each other) pass
-- whatever their uid, unless `loopback = "check"`.
--
-- Parameters (nflua.params, from the configuration's `params = { ... }`, or nflua-ctl's --param and
-- --params FILE.lua):
--   uids      the users allowed out: a list of uids ({ 0, 1000 }), or one uid (--param uids=1000);
--             required: without it the rule refuses to load rather than guess
--   no_uid    "pass" (default) or "drop": the verdict of packets that have no uid
--   loopback  "pass" (default) or "check": whether packets to "lo" are checked like the others
-- In the configuration:
--   rule { "uid-egress", script = "rules/uid-egress.lua", params = { uids = { 0, 1000 } } }
--
-- Queue what leaves the host, both families (the uid is only known on OUTPUT and POSTROUTING):
--   iptables  -A OUTPUT -m conntrack --ctstate NEW -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A OUTPUT -m conntrack --ctstate NEW -j NFQUEUE --queue-num 0 --queue-bypass
-- (only a connection's first packet: its later ones follow it, and a dropped first packet means
-- there are none). Try it offline (--uid gives every packet of the capture that uid; a pcapng
-- capture's outbound packets have hook "output" and their interface as outdev), in examples/:
--   nflua-ctl test uid-egress.lua captures/uid-egress.pcapng --uid 1000 --params params/uid-egress.lua
--   nflua-ctl test uid-egress.lua captures/uid-egress.pcapng --uid 1001 --param uids=1000
--
-- Limits: the uid is the socket owner's, not the program's: two programs of one user look alike (a
-- program's identity needs more than the uid). A process that changed its uid after opening a
-- socket sends as the uid it had then. Packets of connections that started before the rule was
-- loaded are already past the `--ctstate NEW` line.

local params = nflua.params

-- The uids allowed out, as a set.
local allowed = {}
local uids = params.uids
if math.type(uids) == "integer" then uids = { uids } end
if type(uids) ~= "table" then
  error("uid-egress: params.uids must be a uid or a list of uids, e.g. params = { uids = { 0, 1000 } }")
end
for i, uid in ipairs(uids) do
  if math.type(uid) ~= "integer" or uid < 0 or uid > 0xFFFFFFFF then
    error("uid-egress: params.uids[" .. i .. "] must be a uid (an integer from 0 to 4294967295)")
  end
  allowed[uid] = true
end

-- params[name]: one of two words, the first when not given.
local function choice(name, default, other)
  local value = params[name]
  if value == nil then return default end
  if value ~= default and value ~= other then
    error("uid-egress: params." .. name .. " must be \"" .. default .. "\" or \"" .. other .. "\", not " .. tostring(value))
  end
  return value
end

local NO_UID = choice("no_uid", "pass", "drop")
local LOOPBACK = choice("loopback", "pass", "check")

function filter(pkt)
  local meta = nflua.meta(pkt)
  if LOOPBACK == "pass" and meta.outdev == "lo" then return true end
  local uid = meta.uid
  if uid == nil then return NO_UID == "pass" end
  return allowed[uid] == true
end
