-- data-ops.lua: the data module's operations one at a time, each in a Lua loop, for nfluad's data module and
-- reference (a)'s C luadata side by side (issue 18, target 2: at most 1.0x the C cost).
-- Contract with both harnesses: this chunk runs once and leaves a global `ops`, a list of
-- { name = "...", run = function(pkt, n) ... end }. The harness hands `run` a data object over the 200-byte
-- packet below (writable), calls it with n iterations, and reports the time per iteration. Setup inside `run`
-- (a layout, a segment) happens once per call, before the loop; harnesses use n large enough that it vanishes.
--
-- The packet: an IPv4 header (20 bytes: 45 00 00 c8 ..., protocol 6 at byte 9), a TCP header (20 bytes:
-- ports 40000 -> 443, seq 0x01020304 at bytes 24-27), then 160 bytes of payload 'a' 'b' 'c' ... cycling.

local ip = data.layout{ ihl = {4, 4}, protocol = {72, 8}, ttl = {64, 8} }
local tcp = data.layout{ seq = {32, 32} }
local text = data.layout{ word = {40, 16, 's'} }          -- string fields count bytes: 16 bytes of payload

ops = {
  { name = "empty loop (the loop's own cost)", run = function(pkt, n)
      local v
      for i = 1, n do v = i end
      return v
    end },
  { name = "read a layout field", run = function(pkt, n)
      pkt:layout(ip)
      local v
      for i = 1, n do v = pkt.protocol end
      return v
    end },
  { name = "apply a layout, then read a field", run = function(pkt, n)
      local v
      for i = 1, n do pkt:layout(ip) v = pkt.protocol end
      return v
    end },
  { name = "make a segment and take its length", run = function(pkt, n)
      local v
      for i = 1, n do v = #pkt:segment(20) end
      return v
    end },
  { name = "tostring of a 100-byte segment", run = function(pkt, n)
      local s = pkt:segment(40, 100)
      local v
      for i = 1, n do v = tostring(s) end
      return v
    end },
  { name = "read a string field (16 bytes)", run = function(pkt, n)
      pkt:layout(text)
      local v
      for i = 1, n do v = pkt.word end
      return v
    end },
  { name = "write a 32-bit field", run = function(pkt, n)
      local s = pkt:segment(20)
      s:layout(tcp)
      for i = 1, n do s.seq = i end
      return s.seq
    end },
}
