-- rate-limit.lua: a token bucket per source address; a source that sends faster than its rate is dropped.
--
-- Each source address (IPv4 or IPv6) has a bucket of BURST tokens. A packet takes one token, or is
-- dropped when the bucket is empty; the bucket refills at RATE tokens per second, up to BURST. A source
-- may send a burst of BURST packets, then RATE packets per second (BURST = 8, RATE = 10: eight at once,
-- then one every 100 ms).
--
-- The clock is nflua.now(), in milliseconds: the time nfluad received the packet (live), or the
-- packet's timestamp in the capture (under nflua-ctl test). The refill is exact integer arithmetic: a
-- bucket counts thousandths of a token, gains RATE of them per millisecond and pays 1000 per packet,
-- so no rate is rounded (RATE = 3 refills one token every 333.33 ms, not every 333 ms).
--
-- State is a table of the rule's own, keyed by source address, not nflua.flow: a flow table is per
-- connection, and a source that opens many connections must still share one bucket. The table is
-- bounded: when it holds MAX_SOURCES sources, the ones idle long enough for their bucket to refill
-- (as good as new) are forgotten, at most once every SWEEP_MS milliseconds; a new source that still
-- finds no room is passed without being counted (the rule fails open rather than drop sources it
-- cannot track).
--
-- Queue what must be limited, e.g. new SSH connections, or ICMP echo requests, per source:
--   iptables  -A INPUT -p tcp --dport 22 --syn -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A INPUT -p tcp --dport 22 --syn -j NFQUEUE --queue-num 0 --queue-bypass
--   iptables  -A INPUT -p icmp --icmp-type echo-request -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline (state carries from one packet of the capture to the next, as in the daemon, and
-- time is the capture's):
--   nflua-ctl test examples/rate-limit.lua examples/captures/rate-limit.pcap
--
-- Limits: the state lives in one rule of one queue worker, so with --queue-balance every queue
-- limits the sources hashed to it (the same source always lands in the same queue); state is lost
-- when the rule is reloaded. Live, the time is the receive batch's: packets read together share it.

local BURST = 8
local RATE = 10
local MAX_SOURCES = 4096
local SWEEP_MS = 1000

if math.type(BURST) ~= "integer" or BURST < 1 then error("BURST must be an integer of at least 1") end
if math.type(RATE) ~= "integer" or RATE < 1 then error("RATE must be an integer of at least 1") end

-- A bucket's level counts thousandths of a token: RATE of them per millisecond, 1000 per packet.
local TOKEN = 1000
local FULL = BURST * TOKEN

local buckets, sources = {}, 0
local last_sweep = nil

-- The bucket's level at `now`, up to FULL.
local function level_at(bucket, now)
  local elapsed = now - bucket.at
  if elapsed <= 0 then return bucket.level end       -- the same millisecond (or a capture's time going back)
  if elapsed >= FULL then return FULL end            -- full anyway (RATE >= 1), and elapsed * RATE cannot overflow
  return math.min(FULL, bucket.level + elapsed * RATE)
end

-- Forgets the sources whose bucket is full again; true when that made room.
local function sweep(now)
  if last_sweep ~= nil and now - last_sweep < SWEEP_MS then return false end
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
  local now = nflua.now()
  local bucket = buckets[source]
  if bucket == nil then
    if sources >= MAX_SOURCES and not sweep(now) then return true end
    bucket = { level = FULL, at = now }
    buckets[source] = bucket
    sources = sources + 1
  elseif now > bucket.at then
    bucket.level, bucket.at = level_at(bucket, now), now
  end
  if bucket.level < TOKEN then return false end
  bucket.level = bucket.level - TOKEN
  return true
end
