-- The data-module fuzz rule. The packet carries a program: byte 1 is the number of operations
-- (mod 16), then 8 bytes per operation (opcode and 7 parameter bytes); the bytes after the
-- program are the data the operations work on. Every data call runs with fuzz-chosen offsets,
-- lengths, types, byte orders and segments, and is checked against luadata's documented
-- behaviour: a documented error or the exact result, never anything else. A broken invariant
-- raises "INVARIANT: ...", which the harness reports as a finding.
local data, nflua = require "data", require "nflua"
local byte, sub, rep, unpack, find, format = string.byte, string.sub, string.rep, string.unpack, string.find, string.format
local mtype, maxint, minint = math.type, math.maxinteger, math.mininteger

local DOCUMENTED = {
  "offset must be a non-negative integer", "length must be a positive integer", "unknown type",
  "unknown endianness", "is too long", "number fields hold at most 64 bits", "is too far",
  "data.layout expects a table of fields", "field names must be strings", "expected {offset, length",
  "attempt to write a field that the data object's layout does not have", "a string field takes a string",
  "string longer than its field", "field lies outside the data object", "a number field takes an integer",
}
local ENDIANS = { false, "big", "net", "little", "le", "host" }
local LITTLE = { little = true, le = true, host = true }   -- x86-64 and arm64 hosts are little-endian
local TOSTRING_LIMIT = 1 << 16

local function fail(what, ...) error("INVARIANT: " .. format(what, ...), 0) end

local function expect_documented(ok, err, what)
  if ok then fail("%s succeeded, an error was due", what) end
  if type(err) ~= "string" then fail("%s raised a %s", what, type(err)) end
  for i = 1, #DOCUMENTED do
    if find(err, DOCUMENTED[i], 1, true) then return end
  end
  fail("%s raised an undocumented error: %s", what, err)
end

-- An interesting integer: a selects the family, b perturbs it; n is the current object's length.
local function value(a, b, n)
  local k, d = a % 24, (b % 17) - 8
  if k == 0 then return d
  elseif k == 1 then return n + d
  elseif k == 2 then return n * 8 + d
  elseif k == 3 then return 1 << (b % 64)
  elseif k == 4 then return (1 << (b % 64)) + d
  elseif k == 5 then return maxint - (b % 4)
  elseif k == 6 then return minint + (b % 4)
  elseif k == 7 then return -(b % 4) - 1
  end
  return b + ((a >> 5) << 8)
end

-- The reference reader, one bit at a time (see BitModel.cs for the rule it follows).
local function bits(s, off, len)
  local v = 0
  for i = off, off + len - 1 do
    v = (v << 1) | ((byte(s, (i >> 3) + 1) >> (7 - (i & 7))) & 1)
  end
  return v
end

local function model(s, off, len, little)
  if not little or len <= 8 then return bits(s, off, len) end
  local v, chunk = 0, 0
  while chunk * 8 < len do
    local w = len - chunk * 8
    if w > 8 then w = 8 end
    v = v | (bits(s, off + chunk * 8, w) << (chunk * 8))
    chunk = chunk + 1
  end
  return v
end

-- A field spec in one of luadata's three shapes.
local function spec(shape, off, len, kind, endian)
  if shape == 0 then return { off, len, kind, endian } end
  if shape == 1 then return { offset = off, length = len, type = kind, endian = endian } end
  return { off, len, endian }   -- the README shorthand (kind is then the default)
end

local function number_field_valid(off, len)
  return mtype(off) == "integer" and off >= 0 and off < (1 << 35) and mtype(len) == "integer" and len >= 1 and len <= 64
end

local function string_field_valid(off, len)
  -- Checked without multiplying: the byte counts become bit counts, which must stay below 2^35 and 2^24.
  return off >= 0 and off < (1 << 32) and len >= 1 and len < (1 << 21)
end

local function snapshot(cur)
  if #cur <= TOSTRING_LIMIT then return tostring(cur) end
  return nil
end

local function number_op(cur, p, write)
  local n = #cur
  local off = value(p[1], p[2], n)
  local len = p[3] < 200 and p[3] % 66 or value(p[3], p[4], n)
  local shape, endian = p[5] % 3, ENDIANS[p[6] % 6 + 1] or nil
  local kind = shape ~= 2 and ({ false, "n", "number" })[(p[6] >> 3) % 3 + 1] or nil
  local ok, err = pcall(cur.layout, cur, { f = spec(shape, off, len, kind, endian) })
  if not number_field_valid(off, len) then return expect_documented(ok, err, format("number field {%d, %d}", off, len)) end
  if not ok then fail("number field {%d, %d} refused: %s", off, len, tostring(err)) end
  local fits = off + len <= n * 8
  local before = snapshot(cur)
  local v = cur.f
  if not fits then
    if v ~= nil then fail("field {%d, %d} outside %d bytes read %s", off, len, n, tostring(v)) end
  else
    if mtype(v) ~= "integer" then fail("field {%d, %d} read %s", off, len, tostring(v)) end
    if before and v ~= model(before, off, len, LITTLE[endian]) then
      fail("field {%d, %d, %s} read 0x%x; the model reads 0x%x", off, len, tostring(endian), v, model(before, off, len, LITTLE[endian]))
    end
  end
  if not write then return end
  local w = value(p[7], p[2], n)
  local wok, werr = pcall(function() cur.f = w end)
  if not fits then return expect_documented(wok, werr, format("write to field {%d, %d} outside %d bytes", off, len, n)) end
  if not wok then fail("write to field {%d, %d} failed: %s", off, len, tostring(werr)) end
  local mask = len == 64 and -1 or (1 << len) - 1
  if cur.f ~= w & mask then fail("wrote 0x%x to {%d, %d}, read back 0x%x", w & mask, off, len, cur.f) end
  local after = snapshot(cur)
  if before and after then
    local first, last = (off >> 3) + 1, ((off + len - 1) >> 3) + 1
    if sub(before, 1, first - 1) ~= sub(after, 1, first - 1) or sub(before, last + 1) ~= sub(after, last + 1) then
      fail("a write to {%d, %d} changed bytes outside the field", off, len)
    end
  end
end

local function string_op(cur, p, write)
  local n = #cur
  local off = value(p[1], p[2], n)
  local len = p[3] < 200 and p[3] % 40 or value(p[3], p[4], n)
  local shape = p[5] % 2
  local ok, err = pcall(cur.layout, cur, { f = spec(shape, off, len, p[6] % 2 == 0 and "s" or "string", nil) })
  local valid = mtype(len) == "integer" and len >= 1 and string_field_valid(off, len)
  if not valid then return expect_documented(ok, err, format("string field {%d, %d}", off, len)) end
  if not ok then fail("string field {%d, %d} refused: %s", off, len, tostring(err)) end
  local fits = off + len <= n
  local v = cur.f
  if not fits then
    if v ~= nil then fail("string field {%d, %d} outside %d bytes read %d bytes", off, len, n, #tostring(v)) end
    return
  end
  local before = snapshot(cur)
  if type(v) ~= "string" or #v ~= len or (before and v ~= sub(before, off + 1, off + len)) then
    fail("string field {%d, %d} of %d bytes read the wrong bytes", off, len, n)
  end
  if not write then return end
  local s = rep("z", p[7] % (len + 3))
  local wok, werr = pcall(function() cur.f = s end)
  if #s > len then return expect_documented(wok, werr, format("writing %d bytes to a %d-byte field", #s, len)) end
  if not wok then fail("writing %d bytes to {%d, %d} failed: %s", #s, off, len, tostring(werr)) end
  if sub(cur.f, 1, #s) ~= s then fail("string written to {%d, %d} does not read back", off, len) end
end

local function segment_op(cur, p)
  local n = #cur
  local o, l = value(p[2], p[3], n), value(p[4], p[5], n)
  local variant, seg = p[1] % 5, nil
  if variant == 0 then seg = cur:segment(); o, l = 0, n
  elseif variant == 1 then seg = cur:segment(o); l = n - o
  elseif variant == 2 then seg = cur:segment(o, l)
  elseif variant == 3 then seg = cur:segment(nil, l); o = 0
  else
    seg = cur:segment({}, true)
    if seg ~= nil then fail("segment with a table offset gave an object") end
    return cur
  end
  local valid = o >= 0 and l >= 0 and o <= n and l <= n - o
  if not valid then
    if seg ~= nil then fail("segment(%d, %d) of %d bytes gave an object", o, l, n) end
    return cur
  end
  if seg == nil or #seg ~= l then fail("segment(%d, %d) of %d bytes gave %s", o, l, n, seg and #seg or "nil") end
  local whole = snapshot(cur)
  if whole and tostring(seg) ~= sub(whole, o + 1, o + l) then fail("segment(%d, %d) shows other bytes", o, l) end
  if p[6] % 2 == 0 and l > 0 then return seg end
  return cur
end

local function new_op(cur, p, body)
  local variant, d, expected = p[1] % 3, nil, nil
  if variant == 0 then
    local size = value(p[2], p[3], #cur)
    d = data.new(size)
    if size <= 0 then
      if d ~= nil then fail("data.new(%d) gave an object", size) end
      return cur
    end
    if size <= TOSTRING_LIMIT then
      if d == nil or #d ~= size or tostring(d) ~= rep("\0", size) then fail("data.new(%d) is not %d zero bytes", size, size) end
    elseif d ~= nil and #d ~= size then
      fail("data.new(%d) has %d bytes", size, #d)
    end
  elseif variant == 1 then
    local s = sub(body, p[2] + 1, p[2] + p[3] % 64)
    d = data.new(s)
    if #s == 0 then expected = nil else expected = s end
    if (d == nil) ~= (expected == nil) or (d and tostring(d) ~= s) then fail("data.new(string of %d bytes) is wrong", #s) end
  else
    local t, bad = {}, p[4] % 4 == 0
    for i = 1, p[2] % 16 do t[i] = p[i % 7 + 1] end
    if bad and #t > 0 then t[p[3] % #t + 1] = ({ 256, -1, "x", {} })[p[5] % 4 + 1] end
    d = data.new(t)
    if #t == 0 or bad then
      if d ~= nil then fail("data.new(table) with bad or no bytes gave an object") end
      return cur
    end
    if d == nil or #d ~= #t then fail("data.new(table of %d bytes) is wrong", #t) end
    for i = 1, #t do
      if byte(tostring(d), i) ~= t[i] then fail("data.new(table) byte %d is wrong", i) end
    end
  end
  if d ~= nil and p[6] % 2 == 0 then return d end
  return cur
end

local BAD_LAYOUTS = {
  function() return 5 end,
  function() return { { 0, 8 } } end,
  function() return { f = 5 } end,
  function() return { f = { 0, 8, "x" } } end,
  function() return { f = { 0, 8, "n", "middle" } } end,
  function() return { f = { 0, 65 } } end,
  function() return { f = { 0, 0 } } end,
  function() return { f = { -1, 8 } } end,
  function() return { f = { "0", 8 } } end,
  function() return { f = { offset = 0 } } end,
  function() return { f = { 0, 1 << 21, "s" } } end,
  function() return { f = { 1 << 35, 8 } } end,
}

local function bad_layout_op(cur, p)
  local make = BAD_LAYOUTS[p[1] % #BAD_LAYOUTS + 1]
  local ok, err = pcall(cur.layout, cur, make())
  expect_documented(ok, err, "bad layout " .. (p[1] % #BAD_LAYOUTS + 1))
end

local function wrong_write_op(cur, p)
  cur:layout{ f = { 0, 8 }, s = { 0, 1, "s" } }
  local targets = { "f", "s", "undefined" }
  local values = { "text", {}, true, 7 }
  local key, v = targets[p[1] % 3 + 1], values[p[2] % 4 + 1]
  local ok, err = pcall(function() cur[key] = v end)
  local fits = #cur >= 1
  local right = fits and ((key == "f" and mtype(v) == "integer") or (key == "s" and type(v) == "string" and #v <= 1))
  if right then
    if not ok then fail("writing %s to %s failed: %s", tostring(v), key, tostring(err)) end
  else
    expect_documented(ok, err, format("writing a %s to %s", type(v), key))
  end
  if cur.undefined ~= nil then fail("a field with no layout read non-nil") end
end

local function builtin_op(cur, p)
  local names = { "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6" }
  local layout = nflua.layouts[names[p[1] % #names + 1]]
  cur:layout(layout)
  for name in pairs(layout) do
    local v = cur[name]
    if v ~= nil and mtype(v) ~= "integer" and type(v) ~= "string" then fail("built-in field %s read a %s", name, type(v)) end
  end
end

function filter(pkt)
  local program = tostring(pkt)
  if #program ~= #pkt then fail("tostring(pkt) has %d bytes of %d", #program, #pkt) end
  local count = #program > 0 and byte(program, 1) % 16 or 0
  if #program < 1 + count * 8 then count = (#program - 1) // 8 end
  if count < 0 then count = 0 end
  local start = 1 + count * 8
  local body = sub(program, start + 1)
  local cur = pkt:segment(start) or pkt
  for i = 0, count - 1 do
    local p = { unpack("BBBBBBBB", program, 2 + i * 8) }
    local op = table.remove(p, 1) % 12
    if op == 0 then number_op(cur, p, false)
    elseif op == 1 then number_op(cur, p, true)
    elseif op == 2 then string_op(cur, p, false)
    elseif op == 3 then string_op(cur, p, true)
    elseif op == 4 or op == 5 then cur = segment_op(cur, p)
    elseif op == 6 then cur = new_op(cur, p, body)
    elseif op == 7 then bad_layout_op(cur, p)
    elseif op == 8 then wrong_write_op(cur, p)
    elseif op == 9 then builtin_op(cur, p)
    elseif op == 10 then cur = pkt
    else
      local s = snapshot(cur)
      if s and #s ~= #cur then fail("tostring of %d bytes gave %d", #cur, #s) end
    end
  end
  return true
end
