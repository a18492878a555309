-- interface-policy.lua: a different policy for each input interface.
--
-- The interface a packet came in on (nflua.meta(pkt).indev) picks its policy:
--   "allow-all"  everything passes (a trusted LAN, a VPN)
--   "ssh-only"   only TCP to the SSH port(s) passes, and, on IPv6, neighbour discovery (ICMPv6
--                types 133 to 137), without which the link stops working; everything else is dropped
--   "deny"       everything is dropped
-- Interfaces not listed get the `default` policy, "deny" unless told otherwise: list "lo", and
-- every interface that must work, when the rule sees all input. A packet with no input interface
-- (OUTPUT and POSTROUTING have none) passes: this rule is about where traffic comes from.
--
-- Parameters (nflua.params, from the configuration's `params = { ... }` or nflua-ctl's --params FILE.lua):
--   interfaces  a table from interface name to policy: { lo = "allow-all", eth0 = "ssh-only" }
--   default     the policy of interfaces not in the table: "deny" (the default), "ssh-only" or "allow-all"
--   ssh_ports   the ports "ssh-only" lets through: a port or a list of them (default 22)
-- In the configuration:
--   rule { "interface-policy", script = "rules/interface-policy.lua",
--          params = { interfaces = { lo = "allow-all", wg0 = "allow-all", eth0 = "ssh-only" } } }
--
-- Queue the new connections coming in, both families (replies to the host's own connections are
-- accepted by conntrack before they reach the queue):
--   iptables  -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
--   iptables  -A INPUT -j NFQUEUE --queue-num 0 --queue-bypass
--   ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
--   ip6tables -A INPUT -j NFQUEUE --queue-num 0 --queue-bypass
-- Try it offline, in examples/ (a pcapng capture names each packet's interface and direction: an
-- inbound packet's interface is its indev; --indev gives every packet one):
--   nflua-ctl test interface-policy.lua captures/interface-policy.pcapng --params params/interface-policy.lua
--   nflua-ctl test interface-policy.lua captures/interface-policy.pcapng --params params/interface-policy.lua --indev wg0
--
-- Limits: the policy follows the interface's name at the time of the packet (nfluad follows
-- renames); an interface renamed into a listed name gets that name's policy. For FORWARD, indev is
-- where the packet came from, so the same rule limits what each interface may send through.

local params = nflua.params
local POLICIES = { ["allow-all"] = true, ["ssh-only"] = true, deny = true }

local function policy(value, where)
  if not POLICIES[value] then
    error("interface-policy: " .. where .. " must be \"allow-all\", \"ssh-only\" or \"deny\", not " .. tostring(value))
  end
  return value
end

local by_interface = {}
local interfaces = params.interfaces or {}
if type(interfaces) ~= "table" then error("interface-policy: params.interfaces must be a table of name = policy") end
for name, value in pairs(interfaces) do
  by_interface[name] = policy(value, "params.interfaces." .. tostring(name))
end
local DEFAULT = policy(params.default or "deny", "params.default")

local ssh_ports = {}
local ports = params.ssh_ports or 22
if math.type(ports) == "integer" then ports = { ports } end
if type(ports) ~= "table" then error("interface-policy: params.ssh_ports must be a port or a list of ports") end
for i, port in ipairs(ports) do
  if math.type(port) ~= "integer" or port < 1 or port > 65535 then
    error("interface-policy: params.ssh_ports[" .. i .. "] must be a port (1 to 65535)")
  end
  ssh_ports[port] = true
end

local TCP, ICMPV6 = 6, 58

-- "ssh-only": TCP to an SSH port, and IPv6 neighbour discovery (router and neighbour solicitations
-- and advertisements, redirects).
local function ssh_only(pkt)
  local transport, protocol = nflua.transport(pkt)
  if transport == nil then return false end
  if protocol == TCP then return ssh_ports[transport.dst_port] == true end
  if protocol == ICMPV6 then return transport.type >= 133 and transport.type <= 137 end
  return false
end

function filter(pkt)
  local indev = nflua.meta(pkt).indev
  if indev == nil then return true end
  local chosen = by_interface[indev] or DEFAULT
  if chosen == "allow-all" then return true end
  if chosen == "ssh-only" then return ssh_only(pkt) end
  return false
end
