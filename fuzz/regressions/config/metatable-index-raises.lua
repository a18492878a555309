queue(setmetatable({}, { __index = function(t, k) error("no " .. tostring(k)) end }))
