-- Parameters for uid-egress.lua (nflua-ctl test ... --params params/uid-egress.lua): root and uid 1000
-- may send; packets without a uid pass. In nfluad.lua the same table is the rule's `params = { ... }`.
return {
  uids = { 0, 1000 },
  no_uid = "pass",
}
