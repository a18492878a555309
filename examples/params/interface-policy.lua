-- Parameters for interface-policy.lua (nflua-ctl test ... --params params/interface-policy.lua):
-- the loopback and the WireGuard tunnel are trusted, the Internet side (eth0) only reaches SSH,
-- the guest network (eth1) nothing; interfaces not named here get `default`. In nfluad.lua the
-- same table is the rule's `params = { ... }`.
return {
  interfaces = {
    lo = "allow-all",
    wg0 = "allow-all",
    eth0 = "ssh-only",
    eth1 = "deny",
  },
  default = "deny",
  ssh_ports = { 22 },
}
