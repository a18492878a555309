-- rtp-h263.lua: drop RTP streams carrying H.263 video (static payload type 34, RFC 3551).
-- The second example of "NPF scripting with Lua": a layout on the UDP payload segment.
--
-- Queue the media ports, e.g.:
--   iptables -A FORWARD -p udp --dport 16384:32767 -j NFQUEUE --queue-num 1

local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }
local rtp = data.layout{
  version = {0, 2}, padding = {2, 1}, extension = {3, 1}, csrc_count = {4, 4},
  marker = {8, 1}, payload_type = {9, 7}, sequence = {16, 16}, timestamp = {32, 32}, ssrc = {64, 32},
}
local H263 = 34

function filter(pkt)
  pkt:layout(ip)
  if pkt.protocol ~= 17 then return true end
  local payload = pkt:segment(pkt.ihl * 4 + 8)   -- after the 8-byte UDP header
  if payload == nil or #payload < 12 then return true end
  payload:layout(rtp)
  if payload.version == 2 and payload.payload_type == H263 then return false end
  return true
end
