-- ssh-banner.lua: drop an SSH server that announces a vulnerable OpenSSH version.
-- The first example of "NPF scripting with Lua" (EuroBSDcon 2014), unchanged in spirit: a pattern
-- on the server's identification string (the talk's version, layouts over the IPv4 and TCP headers
-- and one packet at a time, opens README.md's "Writing rules"). This one follows IPv4 and IPv6 and
-- reads the string from the connection's stream (nflua.want_stream), so that the server's bytes are
-- judged as the client will read them however they are segmented, and makes its verdict stick to the
-- whole connection (nflua.flow_verdict): a vulnerable server's connection is dropped from the packet
-- that completes its banner line on; an allowed one is accepted, and once the client has acknowledged
-- the banner its later packets pass without calling the rule.
-- The server is the side that sent the SYN/ACK; lines it sends before its "SSH-" line (RFC 4253 4.2
-- allows them) are skipped. A connection whose SYN/ACK the rule did not see (nfluad restarted, or the
-- capture starts late) is judged packet by packet, as the talk did: a packet starting with a
-- vulnerable banner is dropped. A SYN carrying data is dropped (a TCP Fast Open client retries).
--
-- Queue the servers' packets both ways (the acknowledgements let accepted connections leave the Lua
-- path; the rule also works on the outgoing packets alone), e.g.:
--   iptables -A OUTPUT -p tcp --sport 22 -j NFQUEUE --queue-num 0
--   iptables -A INPUT -p tcp --dport 22 -j NFQUEUE --queue-num 0
-- Try it offline: nflua-ctl test ssh-banner.lua capture.pcap

-- Versions to refuse, as Lua patterns on the identification string.
local vulnerable = { "^SSH%-%d%.%d%-OpenSSH_6%.4", "^SSH%-%d%.%d%-OpenSSH_7%.2p1" }

-- The server's banner line and the lines before it (at most 255 bytes each): what the rule reads.
local DEPTH = 4096
nflua.want_stream(DEPTH)

local function refused(banner)
  for _, pattern in ipairs(vulnerable) do
    if banner:find(pattern) then return true end
  end
  return false
end

function filter(pkt)
  local tcp, protocol = nflua.transport(pkt)        -- IPv4 or IPv6, the TCP header's layout applied
  if protocol ~= 6 then return true end
  if tcp.syn == 1 and tcp.ack == 1 then nflua.flow(pkt).server = tcp.src_port end

  local stream, why = nflua.stream(pkt)
  if why == "syn-data" then return false end
  if why == "midstream" then                            -- judge this packet alone, as the talk did
    local payload = nflua.payload(pkt)
    return not (payload and refused(tostring(payload)))
  end
  if stream == nil then return true end                -- no new bytes, a hole (judged when it fills)
  local server = nflua.flow(pkt).server
  if server ~= nil and server ~= tcp.src_port then return true end   -- the client's bytes

  -- The first line starting with "SSH-", once it is complete.
  local text = tostring(stream)
  local at = 1
  while true do
    local line_end = text:find("\n", at, true)
    if line_end == nil then
      if #text < DEPTH then return true end            -- the line is still coming
      break                                            -- no banner in DEPTH bytes: not SSH
    end
    local line = text:sub(at, line_end)
    if line:find("^SSH%-") then
      if refused(line) then
        nflua.flow_verdict(pkt, "drop")
        return false
      end
      break
    end
    at = line_end + 1
  end
  if server ~= nil then nflua.flow_verdict(pkt, "accept") end
  return true
end
