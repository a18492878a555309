control { socket = "relative", mode = "0666" }
queue { 70000, maxlen = 0, rule { "bad name", script = "" } }
queue { first = 9, last = 3 }
rule { "outside", script = "x.lua" }