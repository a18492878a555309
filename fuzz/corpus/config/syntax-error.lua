queue { 0,
  rule { "x" script = "y.lua" } }
