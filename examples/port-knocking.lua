-- port-knocking.lua: SSH stays closed until a source knocks on KNOCKS, in order.
--
-- A source that sends TCP connection attempts (SYNs) to the ports of KNOCKS, in that order, each
-- within KNOCK_GAP_MS milliseconds of the previous one, may then connect to PROTECTED (22) for
-- OPEN_MS milliseconds after its last knock. Everyone else's SYNs to PROTECTED are dropped. Knocks are
-- dropped too (the knocked ports look filtered). A knock out of order, a knock too late, or a SYN to
-- any other port, starts the source over; a knock repeated (a retransmitted SYN) changes nothing, not
-- even the time its window counts from; the first port of KNOCKS always starts a new try. Packets
-- other than SYNs pass: established SSH sessions outlive the opening.
--
-- Pick a sequence that is not in ascending order, and queue every SYN to the host, so that a port
-- scan, which hits the ports in order with others in between, never opens anything:
--   iptables  -A INPUT -p tcp --syn -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A INPUT -p tcp --syn -j NFQUEUE --queue-num 0 --queue-bypass
-- (fail-open: while nfluad is down, SSH is reachable; drop --queue-bypass to keep it closed.)
-- Knock with: for p in 7000 9000 8000; do nc -z -w 1 server $p; done; ssh server
-- Try it offline (state carries from one packet of the capture to the next, as in the daemon, and
-- time is the capture's):
--   nflua-ctl test examples/port-knocking.lua examples/captures/port-knocking.pcap
--
-- The clock is nflua.now(), in milliseconds: the time nfluad received the packet (live), or the
-- packet's timestamp in the capture (under nflua-ctl test). Progress older than KNOCK_GAP_MS and
-- openings past OPEN_MS are forgotten: when the source sends its next SYN, or when a table holds
-- MAX_SOURCES sources and room is needed (a source that finds no room is not remembered: its knocks
-- open nothing).
-- Limits: knocks travel in clear text, so anyone who sees them can replay them (this hides a service,
-- it does not authenticate anyone: keep SSH's own authentication); sources are addresses, so hosts
-- behind one NAT share an opening; the state is lost when the rule is reloaded.

local KNOCKS = { 7000, 9000, 8000 }
local PROTECTED = 22
local KNOCK_GAP_MS = 5000
local OPEN_MS = 30000
local MAX_SOURCES = 1024

local step_of = {}                 -- port -> its position in KNOCKS
for i, port in ipairs(KNOCKS) do step_of[port] = i end

-- A table of at most MAX_SOURCES sources; when full, entries that `expired` says are over go first.
local function bounded(expired)
  return { items = {}, count = 0, expired = expired }
end

local function put(store, key, value, now)
  local items = store.items
  if items[key] == nil then
    if value == nil then return end
    if store.count >= MAX_SOURCES then
      for k, v in pairs(items) do
        if store.expired(v, now) then items[k] = nil; store.count = store.count - 1 end
      end
      if store.count >= MAX_SOURCES then return end   -- no room: the source is not remembered
    end
    store.count = store.count + 1
  elseif value == nil then
    store.count = store.count - 1
  end
  items[key] = value
end

-- source -> { step = knocks done, at = time of the last knock }
local progress = bounded(function(p, now) return now - p.at > KNOCK_GAP_MS end)
-- source -> the last millisecond at which PROTECTED accepts its SYNs
local opened = bounded(function(last, now) return now > last end)

function filter(pkt)
  local tcp, protocol = nflua.transport(pkt)
  if protocol ~= 6 or tcp.syn ~= 1 or tcp.ack ~= 0 then return true end
  local source = nflua.addresses(pkt)
  if source == nil then return true end
  local now, port = nflua.now(), tcp.dst_port

  if port == PROTECTED then
    local last = opened.items[source]
    if last ~= nil and now <= last then return true end
    put(opened, source, nil, now)
    return false
  end

  local step = step_of[port]
  local try = progress.items[source]
  if try ~= nil and now - try.at > KNOCK_GAP_MS then try = nil end       -- too slow: start over
  if step == nil then                                                    -- any other port
    put(progress, source, nil, now)
    return true
  end
  if try ~= nil and step == try.step then return false end               -- a repeated knock
  if try ~= nil and step == try.step + 1 then
    try.step, try.at = step, now
  elseif step == 1 then
    try = { step = 1, at = now }
  else
    try = nil                                                             -- out of order
  end
  if try ~= nil and try.step == #KNOCKS then
    put(opened, source, now + OPEN_MS, now)
    try = nil
  end
  put(progress, source, try, now)
  return false
end
