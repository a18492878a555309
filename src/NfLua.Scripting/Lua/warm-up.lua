-- Runs once per process before the first rule: every function NfLua adds to Lua is called at
-- least once, so that no packet of a real rule pays for compiling them (a call that returns
-- after its time limit fails, and a first call into .NET code can take milliseconds).
local layout = data.layout{ x = {0, 8}, y = {8, 16, 'little'}, s = {3, 2, 's'} }
local nets, names = nflua.set("nets"), nflua.set("names")
nflua.want_stream(4096)
function filter(pkt)
  local _, proto = nflua.transport(pkt)
  if proto == 6 then
    local s, why = nflua.stream(pkt)
    if s ~= nil and tostring(s):find("warm", 1, true) then nflua.flow_verdict(pkt, "accept") end
    return "accept"
  end
  nflua.log("debug", "warm-up")
  nflua.alert("warm-up", { n = 1, s = "x", b = true })
  local ip, version = nflua.ip(pkt)
  local transport, protocol = nflua.transport(pkt)
  local payload = nflua.payload(pkt)
  local src, dst = nflua.addresses(pkt)
  local flow = nflua.flow(pkt)
  flow.seen = (flow.seen or 0) + nflua.now()
  local inside = nflua.cidr("10.0.0.0/8")(src or "10.0.0.1")
  nflua.setmark(1)
  local m = nflua.meta(pkt)
  local seen = m.hook .. m.outdev .. m.hwaddr .. m.uid .. tostring(m.indev) .. m.len .. m.mark .. tostring(m.gso)
  local listed = nflua.params.ports[1] == 22 and nets:contains(pkt, "src") and nets:contains("10.1.1.1") and not names:contains("y")
  local d = data.new(16)
  d:layout(layout)
  d.x, d.y, d.s = 1, 2, "ab"
  local segment = d:segment(2, 4)
  local text = tostring(segment) .. d.s .. tostring(data.new("abc")) .. tostring(data.new({ 1, 2, 3 }))
  return #text > 0 and #seen > 0 and listed and #nets == 1 and version == 4 and protocol == 17 and payload ~= nil and #segment == 4 and inside and "accept"
end
