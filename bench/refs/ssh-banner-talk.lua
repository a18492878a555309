-- ssh-banner-talk.lua: drop an SSH server that announces a vulnerable OpenSSH version, one packet at a time.
-- bench/run's rule for nfluad and the C reference alike (nfq_lua.c provides `data` only): examples/ssh-banner.lua
-- as it was before it followed TCP streams (issue 17), so that figures stay comparable across versions.
-- The first example of "NPF scripting with Lua" (EuroBSDcon 2014), unchanged in spirit: luadata
-- layouts over the IP and TCP headers, then a pattern on the TCP payload.
--
-- Queue the servers' outgoing packets, e.g.:
--   iptables -A OUTPUT -p tcp --sport 22 -j NFQUEUE --queue-num 0
-- Try it offline: nflua-ctl test ssh-banner.lua capture.pcap

local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8} }
local tcp = data.layout{ data_offset = {96, 4} }

-- Versions to refuse, as Lua patterns on the identification string.
local vulnerable = { "^SSH%-%d%.%d%-OpenSSH_6%.4", "^SSH%-%d%.%d%-OpenSSH_7%.2p1" }

function filter(pkt)
  pkt:layout(ip)
  if pkt.protocol ~= 6 then return true end
  local segment = pkt:segment(pkt.ihl * 4)
  if segment == nil then return true end
  segment:layout(tcp)
  if segment.data_offset == nil then return true end   -- a packet cut inside the TCP header
  local payload = segment:segment(segment.data_offset * 4)
  if payload == nil or #payload == 0 then return true end
  local banner = tostring(payload)
  for _, pattern in ipairs(vulnerable) do
    if banner:find(pattern) then return false end
  end
  return true
end
