queue { 0, { kind = "rule", value = 5 } }
queue { 1, setmetatable({}, { __index = function() error("boom") end }) }
__nflua_entries = { { kind = "queue", value = 5 } }
