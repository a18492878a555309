-- rate-limit.lua: a token bucket per source address; a source that sends faster than its share is dropped.
--
-- Each source address (IPv4 or IPv6) has a bucket of BURST tokens. A packet takes one token, or is
-- dropped when the bucket is empty; the bucket refills by one token every INTERVAL ticks of the
-- rule's clock, up to BURST. A source may send a burst of BURST packets, then one per INTERVAL ticks
-- (a little more when it is alone: its own packets tick the clock too).
--
-- The clock: NfLua's sandbox offers rules no clock yet (no os.time, no nflua.now), so this rule
-- counts time in packets: one tick per packet it judges, from any source. INTERVAL = 4 then means
-- "no source gets more than a quarter of the queue's packets, once its burst is spent": a fair-share
-- limit, which holds whatever the traffic's speed, and is what a flood from one address runs into.
-- With a millisecond clock, replace the tick in filter() by it and INTERVAL becomes milliseconds per
-- token (INTERVAL = 100: ten packets per second per source).
--
-- State is a table of the rule's own, keyed by source address, not nflua.flow: a flow table is per
-- connection, and a source that opens many connections must still share one bucket. The table is
-- bounded: when it holds MAX_SOURCES sources, the ones whose bucket has refilled (as good as new) are
-- forgotten, at most once every SWEEP_INTERVAL ticks; a new source that still finds no room is passed
-- without being counted (the rule fails open rather than drop sources it cannot track).
--
-- Queue what must be limited, e.g. new SSH connections, or ICMP echo requests, per source:
--   iptables  -A INPUT -p tcp --dport 22 --syn -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A INPUT -p tcp --dport 22 --syn -j NFQUEUE --queue-num 0 --queue-bypass
--   iptables  -A INPUT -p icmp --icmp-type echo-request -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline (state carries from one packet of the capture to the next, as in the daemon):
--   nflua-ctl test examples/rate-limit.lua examples/captures/rate-limit.pcap
--
-- Limits: the packet clock above; the state lives in one rule of one queue worker, so with
-- --queue-balance every queue limits the sources hashed to it (the same source always lands in the
-- same queue); state is lost when the rule is reloaded.

local BURST = 8
local INTERVAL = 4
local MAX_SOURCES = 4096
local SWEEP_INTERVAL = 1024

-- A bucket's level counts 1/INTERVAL tokens: a tick adds one unit, a packet costs INTERVAL units.
-- Integer arithmetic only, and exact.
local FULL = BURST * INTERVAL

local clock = 0
local buckets, sources = {}, 0
local last_sweep = -SWEEP_INTERVAL

local function level_at(bucket, now)
  return math.min(FULL, bucket.level + (now - bucket.at))
end

-- Forgets the sources whose bucket is full again; true when that made room.
local function sweep(now)
  if now - last_sweep < SWEEP_INTERVAL then return false end
  last_sweep = now
  for source, bucket in pairs(buckets) do
    if level_at(bucket, now) == FULL then
      buckets[source] = nil
      sources = sources - 1
    end
  end
  return sources < MAX_SOURCES
end

function filter(pkt)
  local source = nflua.addresses(pkt)
  if source == nil then return true end
  clock = clock + 1
  local now = clock
  local bucket = buckets[source]
  if bucket == nil then
    if sources >= MAX_SOURCES and not sweep(now) then return true end
    bucket = { level = FULL, at = now }
    buckets[source] = bucket
    sources = sources + 1
  else
    bucket.level, bucket.at = level_at(bucket, now), now
  end
  if bucket.level < INTERVAL then return false end
  bucket.level = bucket.level - INTERVAL
  return true
end
