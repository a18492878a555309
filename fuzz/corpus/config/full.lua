-- Every setting, as the README shows them.
control { socket = "/run/nflua/nflua.sock", mode = "0660", group = "nflua" }
logging { level = "information" }
defaults { max_instructions = 1000000, max_memory = 8388608, max_call_time_ms = 20,
           max_flows = 4096, on_error = "accept" }

queue { 0, maxlen = 4096, copy_range = 65535, fail_open = false, rcvbuf = 1048576,
  rule { "ssh-banner", script = "rules/ssh-banner.lua", on_error = "drop" },
  rule { "rtp-h263", script = "rules/rtp-h263.lua", max_instructions = 50000 },
}
queue { first = 2, last = 3 }