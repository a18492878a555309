-- offload-mark.lua: decide each web connection on its first data, then take it out of userspace.
--
-- Port 80 must carry HTTP. The rule waits for the client's first data segment of each connection: an
-- HTTP request (a known method and a space) decides the flow good, anything else (a tunnel, another
-- protocol on the web port) decides it bad. A good flow's packet is accepted with the mark OFFLOAD:
-- the kernel saves that bit into the connection's mark, and the connection's later packets are
-- accepted before they reach the queue, so nfluad sees a handful of packets per connection instead
-- of all of them. A bad flow is not marked: its packets keep coming, and the rule drops them all.
-- The decision is kept in nflua.flow(pkt), the per-connection table of the sandbox, for the packets
-- that were already queued when the mark was saved.
-- Connections that were open before the rule (their first packet seen is not a SYN) are offloaded
-- without a look: judging them in mid-stream would cut them.
--
-- The iptables lines, from packaging/iptables/offload-connmark.rules (install that file with
-- nflua-iptables install offload-connmark.rules; for IPv6, the same lines with ip6tables):
--   *mangle
--   -A INPUT -m connmark --mark 0x1/0x1 -m comment --comment nflua -j ACCEPT
--   -A INPUT -p tcp --dport 80 -m comment --comment nflua -j NFQUEUE --queue-num 0 --queue-bypass
--   COMMIT
--   *filter
--   -A INPUT -m mark --mark 0x1/0x1 -m comment --comment nflua -j CONNMARK --save-mark --nfmask 0x1 --ctmask 0x1
--   COMMIT
-- OFFLOAD must be the bit those lines use (0x1).
-- Try it offline (nflua.flow keeps state across the packets of the capture, as in the daemon):
--   nflua-ctl test examples/offload-mark.lua examples/captures/offload-mark.pcap
--
-- Limits: the mark a verdict carries replaces the packet's whole mark (other bits that tools set
-- before the queue are lost); nflua.flow forgets a connection after 2 minutes idle or when 4096
-- newer ones crowd it out, and a forgotten bad flow is judged again on its next data (and dropped
-- again, as its data is still not a request line); the first segment is judged alone, so a request
-- split before its first space is taken for something else.

local OFFLOAD = 0x1
local METHODS = { GET = true, HEAD = true, POST = true, PUT = true, DELETE = true, OPTIONS = true, PATCH = true }

function filter(pkt)
  local tcp, protocol = nflua.transport(pkt)
  if protocol ~= 6 then return true end
  local flow = nflua.flow(pkt)
  if flow == nil then return true end

  if flow.verdict == nil then
    if flow.seen == nil and tcp.syn ~= 1 then
      flow.verdict = "offload"              -- opened before the rule: do not judge it in mid-stream
    else
      flow.seen = true
      local payload = nflua.payload(pkt)
      if payload == nil or #payload == 0 then return true end   -- the handshake: nothing to decide on yet
      local method = tostring(payload:segment(0, math.min(#payload, 16))):match("^(%u+) ")
      flow.verdict = METHODS[method] and "offload" or "drop"
    end
  end

  if flow.verdict == "drop" then return false end
  nflua.setmark(OFFLOAD)
  return "accept"
end
