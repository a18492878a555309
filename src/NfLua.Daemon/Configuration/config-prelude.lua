-- nfluad's configuration prelude: the functions a configuration file calls. It runs first, in a
-- state of its own, and leaves the configuration nothing else to reach (no io, os, package,
-- debug, load, luanet). Every call records the file and line it came from, so that the host can
-- report each problem where it is.
local getinfo, type, error, next = debug.getinfo, type, error, next
local entries = {}

-- The host reads the entries through NLua once the file has run, and NLua's reads are not
-- protected calls: a metamethod that raised an error there would abort the process. So each
-- table handed to these functions is copied raw, metatables left behind, into tables the
-- configuration cannot reach (shared and cyclic tables are copied once).
local function plain(t, copies)
  local copy = copies[t]
  if copy ~= nil then return copy end
  copy = {}
  copies[t] = copy
  for k, v in next, t do
    if type(v) == "table" then v = plain(v, copies) end
    copy[k] = v
  end
  return copy
end

local function record(kind, t)
  if type(t) ~= "table" then error(kind .. " expects a table: " .. kind .. " { ... }", 3) end
  local info = getinfo(3, "Sl") or { short_src = "?", currentline = 0 }
  return { kind = kind, file = info.short_src, line = info.currentline, value = plain(t, {}) }
end

function control(t) entries[#entries + 1] = record("control", t) end
function defaults(t) entries[#entries + 1] = record("defaults", t) end
function logging(t) entries[#entries + 1] = record("logging", t) end
function watchdog(t) entries[#entries + 1] = record("watchdog", t) end
function metrics(t) entries[#entries + 1] = record("metrics", t) end
function events(t) entries[#entries + 1] = record("events", t) end
function queue(t) entries[#entries + 1] = record("queue", t) end
function set(t) entries[#entries + 1] = record("set", t) end
function module(t) entries[#entries + 1] = record("module", t) end
function rule(t)
  local r = record("rule", t)  -- not a tail call: record must see the caller's line
  return r
end

luanet, import, io, os, package, debug, load, loadfile, dofile, require, collectgarbage, print =
  nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil
-- For the host only: no global names the entries, so the configuration cannot replace them.
return entries
