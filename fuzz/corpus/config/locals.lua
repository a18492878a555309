local base = 100000
local function limited(name, path) return rule { name, script = path, max_instructions = base * 2 } end
queue { number = 5, limited("a", "/srv/a.lua"), limited("b", "b.lua") }