namespace NfLua.Tests.Shared;

/// <summary>
/// Rules written to stop a queue through Lua's C paths, one list per class of docs/security.md.
/// Each is a whole script (main chunk and <c>filter</c>). The offline tier runs them with memory
/// limits of 8 MiB, 64 MiB and 1 GiB; the kernel tier runs a selection live.
/// </summary>
internal static class HostileScripts
{
    /// <summary>Class 1: C-stack depth through nested closes, coroutines, metamethods and library callbacks.</summary>
    public static readonly IReadOnlyDictionary<string, string> CStack = new Dictionary<string, string>
    {
        // 100 suspended coroutines, each 150 pcall frames deep, whose __close closes the next one.
        ["close-chain-with-pcalls"] = """
            function filter(pkt)
              local function mk(inner)
                return coroutine.create(function()
                  local function nest(n)
                    if n == 0 then
                      local x <close> = setmetatable({}, {__close = function() if inner then coroutine.close(inner) end end})
                      coroutine.yield()
                    else
                      return pcall(nest, n - 1)
                    end
                  end
                  nest(150)
                end)
              end
              local co
              for i = 1, 100 do co = mk(co); coroutine.resume(co) end
              coroutine.close(co)
              return true
            end
            """,
        // Thousands of plain levels of closes (the memory limit decides how many exist).
        ["close-chain-plain"] = """
            local co
            for i = 1, 12000 do
              local inner = co
              co = coroutine.create(function()
                local x <close> = setmetatable({}, {__close = function() if inner then coroutine.close(inner) end end})
                coroutine.yield()
              end)
              coroutine.resume(co)
            end
            function filter(pkt) coroutine.close(co) return true end
            """,
        ["close-chain-wrapped"] = """
            local co
            for i = 1, 5000 do
              local inner = co
              co = coroutine.wrap(function()
                local x <close> = setmetatable({}, {__close = function() if inner then pcall(inner) end end})
                coroutine.yield()
              end)
              co()
            end
            function filter(pkt) return pcall(co) end
            """,
        ["index-recursion"] = """
            local t
            t = setmetatable({}, {__index = function(s, k) return t[k + 1] end})
            function filter(pkt) return t[1] end
            """,
        ["gsub-recursion"] = """
            local function f(s) return (s:gsub(".", f)) end
            function filter(pkt) return f("abc") ~= nil end
            """,
        ["wrap-recursion"] = """
            local function w(n) return coroutine.wrap(function() if n > 0 then return w(n - 1)() end return 1 end) end
            function filter(pkt) return w(100000)() == 1 end
            """,
        ["resume-recursion"] = """
            local function r(n) local co = coroutine.create(function() if n > 0 then return r(n - 1) end end) return coroutine.resume(co) end
            function filter(pkt) return r(100000) end
            """,
        ["handler-recursion"] = """
            local function h(e) return xpcall(error, h, e) end
            function filter(pkt) return xpcall(error, h, "x") end
            """,
        ["tostring-recursion"] = """
            local mt = {}
            mt.__tostring = function(v) return tostring(setmetatable({}, mt)) end
            function filter(pkt) return tostring(setmetatable({}, mt)) end
            """,
        ["sort-recursion"] = """
            local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end
            function filter(pkt) table.sort({3, 2, 1}, cmp) return true end
            """,
        ["concat-recursion"] = """
            local mt = {}
            mt.__concat = function(a, b) return setmetatable({}, mt) .. "x" end
            function filter(pkt) return (setmetatable({}, mt) .. "y") ~= nil end
            """,
        ["call-recursion"] = """
            local c = setmetatable({}, {})
            getmetatable(c).__call = function(self, n) return c(n + 1) end
            function filter(pkt) return c(1) end
            """,
    };

    /// <summary>Class 2: C loops that are O(n) in their arguments, reading through C metamethods among them.</summary>
    public static readonly IReadOnlyDictionary<string, string> CLoops = new Dictionary<string, string>
    {
        ["concat-through-c-index"] = """
            local t = setmetatable({}, {__index = getmetatable, __metatable = ""})
            function filter(pkt) return table.concat(t, "", 1, math.maxinteger) end
            """,
        ["unpack-through-c-index"] = """
            local t = setmetatable({}, {__index = getmetatable, __metatable = ""})
            function filter(pkt) while true do table.unpack(t, 1, 900000) end end
            """,
        ["ipairs-through-c-index"] = """
            local t = setmetatable({}, {__index = rawlen})
            function filter(pkt) for i, v in ipairs(t) do end end
            """,
        ["index-chain"] = """
            local t = {}
            for i = 1, 1990 do t = setmetatable({}, {__index = t}) end
            function filter(pkt) local n = 0 while true do local x = t.nothing n = n + 1 end end
            """,
        ["newindex-chain"] = """
            local t = {}
            for i = 1, 1990 do t = setmetatable({}, {__newindex = t}) end
            function filter(pkt) local n = 0 while true do t[n] = nil n = n + 1 end end
            """,
        ["call-chain"] = """
            local c = setmetatable({}, {})
            getmetatable(c).__call = c
            function filter(pkt) while true do pcall(c, 1, 2, 3) end end
            """,
        ["utf8-len"] = """
            local s = string.rep("\u{7FF}", 1 << 20)
            function filter(pkt) local n = 0 while true do n = n + utf8.len(s) end end
            """,
        ["utf8-codepoint-and-byte"] = """
            local s = string.rep("a", 900000)
            function filter(pkt) while true do utf8.codepoint(s, 1, -1) string.byte(s, 1, -1) end end
            """,
        ["utf8-offset-and-codes"] = """
            local s = string.rep("\x80", 1 << 21)
            function filter(pkt) while true do pcall(utf8.offset, s, 5, 1) pcall(function() for p, c in utf8.codes("a" .. s) do end end) end end
            """,
        ["utf8-char"] = """
            local cps = {}
            for i = 1, 100000 do cps[i] = 0x10FFFF end
            function filter(pkt) while true do utf8.char(table.unpack(cps)) end end
            """,
        ["string-compare"] = """
            local a = string.rep("a", 1 << 22) .. "x"
            local b = string.rep("a", 1 << 22) .. "y"
            function filter(pkt) local n = 0 while true do if a < b then n = n + 1 end if a <= b then n = n + 1 end if a == b then n = n + 1 end end end
            """,
        ["rawequal"] = """
            local a = string.rep("a", 1 << 22)
            local b = string.rep("a", 1 << 22)
            function filter(pkt) while true do rawequal(a, b) end end
            """,
        ["case-and-reverse"] = """
            local s = string.rep("a", 1 << 21)
            function filter(pkt) while true do s:upper() s:lower() s:reverse() end end
            """,
        ["tonumber"] = """
            local hex = string.rep("f", 1 << 22)
            local spaces = string.rep(" ", 1 << 22) .. "1"
            function filter(pkt) while true do tonumber(hex, 16) tonumber(spaces) pcall(function() return spaces + 1 end) end end
            """,
        ["plain-find"] = """
            local s = string.rep("a", 1 << 22)
            local needle = string.rep("a", 1 << 20) .. "b"
            function filter(pkt) while true do s:find(needle, 1, true) end end
            """,
        ["pattern-backtracking"] = """
            local s = string.rep("a", 5000)
            function filter(pkt) while true do s:find(".-.-.-.-b") end end
            """,
        ["balance-and-long-class"] = """
            local s = string.rep("(", 1 << 22)
            local class = "[" .. string.rep("a", 1 << 20) .. "]"
            function filter(pkt) while true do s:find("%b()") ("xxxxxxxxxx"):find(class) end end
            """,
        ["back-reference-and-gsub"] = """
            local s = string.rep("a", 1 << 21)
            function filter(pkt) while true do s:match("(.*)%1") s:gsub(".", "%0%0") end end
            """,
        ["format"] = """
            local s = string.rep("a", 1 << 22)
            function filter(pkt) while true do local x = string.format("%s%s%q", s, s, s) end end
            """,
        ["pack-unpack"] = """
            local fmt = string.rep("i", 1 << 20)
            function filter(pkt) while true do pcall(string.packsize, fmt) pcall(string.unpack, string.rep("b", 200000), string.rep("x", 200000)) pcall(string.pack, "c100000000", "") end end
            """,
        ["rep-with-separator"] = """
            function filter(pkt) while true do local s = string.rep("", 1 << 40, "") local t = string.rep("ab", 1 << 22, ",") end end
            """,
        ["next-over-a-hollow-table"] = """
            local t = {}
            for i = 1, 200000 do t[i] = i end
            for i = 1, 199999 do t[i] = nil end
            function filter(pkt) local n = 0 while true do for k, v in pairs(t) do n = n + 1 end next(t) end end
            """,
        ["varargs-and-select"] = """
            local big = {}
            for i = 1, 200000 do big[i] = i end
            local function f(...) local n = 0 while true do n = n + select('#', ...) local x = select(2, ...) local y = {...} math.max(...) end end
            function filter(pkt) return f(table.unpack(big)) end
            """,
        ["insert-remove-front"] = """
            local t = {}
            for i = 1, 500000 do t[i] = i end
            function filter(pkt) while true do table.insert(t, 1, 0) table.remove(t, 1) end end
            """,
        ["concat-and-pack"] = """
            local parts = {}
            for i = 1, 200000 do parts[i] = "x" end
            function filter(pkt) while true do local s = table.concat(parts) local t = table.pack(table.unpack(parts)) table.move(parts, 1, #parts, 2) end end
            """,
        ["sort-with-c-comparator"] = """
            local t = {}
            for i = 1, 100000 do t[i] = -i end
            function filter(pkt) while true do table.sort(t, rawequal) table.sort(t) end end
            """,
        // NfLua's own functions (the data module) copy and fill bytes too.
        ["data-new-huge"] = """
            function filter(pkt) local d = data.new(500 * 1024 * 1024) if d then local s = tostring(d) end return d ~= nil end
            """,
        ["data-tostring-and-segment"] = """
            local d = data.new(4 * 1024 * 1024)
            function filter(pkt) while true do local s = tostring(d) local e = d:segment(1) end end
            """,
        ["data-layout-with-many-fields"] = """
            local spec = {}
            for i = 1, 100000 do spec["f" .. i] = {i, 8} end
            function filter(pkt) while true do local l = data.layout(spec) pkt:layout(l) end end
            """,
        ["data-new-from-string-and-table"] = """
            local big = string.rep("x", 1 << 22)
            local t = {}
            for i = 1, 1000000 do t[i] = 255 end
            function filter(pkt) while true do local d = data.new(big) local e = data.new(t) end end
            """,
        ["data-string-fields"] = """
            local d = data.new(1 << 22)
            d:layout{ s = {0, (1 << 21) - 1, 's'} }
            local fill = string.rep("y", (1 << 21) - 1)
            function filter(pkt) while true do local x = d.s d.s = fill end end
            """,
        ["big-string-ops-at-once"] = """
            function filter(pkt) local s = string.rep("x", 1 << 24) local t = s .. s local u = t:sub(2) return #u > 0 end
            """,
    };

    /// <summary>Class 3: Lua that would run after a stop (handlers, __close, resumed coroutines, pcall).</summary>
    public static readonly IReadOnlyDictionary<string, string> AfterStop = new Dictionary<string, string>
    {
        ["close-handler-is-a-wrapped-coroutine"] = """
            local t = setmetatable({}, {__index = getmetatable, __metatable = ""})
            function filter(pkt)
              local x <close> = setmetatable({}, {__close = coroutine.wrap(function() while true do table.concat(t, "", 1, math.maxinteger) end end)})
              while true do end
            end
            """,
        ["pcall-swallowing"] = """
            function filter(pkt)
              while true do
                pcall(function() while true do end end)
                pcall(string.rep, "x", 100)
                pcall(coroutine.resume, coroutine.create(function() while true do end end))
              end
            end
            """,
        ["handlers-and-closes-that-loop"] = """
            local heavy = coroutine.create(function() local t = {} while true do t[#t + 1] = string.rep("x", 1000) end end)
            function filter(pkt)
              local a <close> = setmetatable({}, {__close = function() coroutine.resume(heavy) while true do end end})
              local b <close> = setmetatable({}, {__close = function() for i = 1, 1000000000 do local s = ("x"):rep(100) end end})
              xpcall(function() while true do end end, function(e) while true do end end)
              while true do end
            end
            """,
        ["many-coroutines-with-pending-closes"] = """
            local cos = {}
            for i = 1, 100 do
              cos[i] = coroutine.wrap(function()
                local c <close> = setmetatable({}, {__close = function() while true do end end})
                while true do coroutine.yield() end
              end)
            end
            function filter(pkt) while true do for i = 1, 100 do pcall(cos[i]) end end end
            """,
        ["for-loop-closing-value"] = """
            function filter(pkt)
              local closer = setmetatable({}, {__close = coroutine.wrap(function() local n = 0 while true do n = n + 1 end end)})
              for i in function(s, c) if c < 1000000000000 then return c + 1 end end, nil, 0, closer do end
              return true
            end
            """,
        ["resumer-keeps-resuming"] = """
            local spin = coroutine.wrap(function() while true do coroutine.yield() end end)
            function filter(pkt)
              local co = coroutine.create(function() while true do end end)
              while true do coroutine.resume(co) spin() end
            end
            """,
        ["error-in-close-after-stop"] = """
            function filter(pkt)
              local a <close> = setmetatable({}, {__close = function() error(setmetatable({}, {__tostring = function() while true do end end})) end})
              local b <close> = setmetatable({}, {__close = function() local t = {} for i = 1, 1000000 do t[i] = {} end end})
              while true do end
            end
            """,
    };

    /// <summary>Class 4: work for the garbage collector (weak tables, finalisers, big heaps).</summary>
    public static readonly IReadOnlyDictionary<string, string> Collector = new Dictionary<string, string>
    {
        ["ephemeron-chains"] = """
            function filter(pkt)
              local t = setmetatable({}, {__mode = "k"})
              local k = {}
              for i = 1, 100000 do local n = {} t[k] = n k = n end
              return true
            end
            """,
        ["weak-mode-added-later"] = """
            local mt = {}
            local tabs = {}
            for i = 1, 2000 do tabs[i] = setmetatable({}, mt) end
            mt.__mode = "k"
            local prev = {}
            for i = 1, 2000 do local k = {} tabs[i][prev] = k prev = k end
            function filter(pkt)
              for i = 1, 20000 do local k = {} local t = tabs[i % 2000 + 1] t[k] = {k, t} end
              return true
            end
            """,
        ["weak-values-added-later"] = """
            local mt = {}
            local t = setmetatable({}, mt)
            mt.__mode = "kv"
            function filter(pkt) for i = 1, 50000 do t[{}] = {} end return true end
            """,
        ["finaliser-added-later"] = """
            local mt = {}
            for i = 1, 1000 do setmetatable({}, mt) end
            mt.__gc = function() while true do end end
            function filter(pkt) local x = {} for i = 1, 10000 do x[i] = setmetatable({}, mt) end return true end
            """,
        ["finaliser-refused"] = """
            function filter(pkt) setmetatable({}, {__gc = false}) return true end
            """,
        ["heap-at-the-cap"] = """
            keep = keep or {}
            function filter(pkt) for i = 1, 100000 do keep[#keep + 1] = {} end return true end
            """,
        ["big-tables-touched-every-call"] = """
            big = big or {}
            function filter(pkt)
              if #big < 64 then local t = {} for i = 1, 60000 do t[i] = {} end big[#big + 1] = t end
              for j = 1, #big do big[j][1] = {} end
              return true
            end
            """,
        ["garbage-at-the-cap"] = """
            function filter(pkt) local s = "" while true do s = string.rep("x", 1 << 20) .. #s end end
            """,
    };

    /// <summary>Class 5: work the clock would not see (the first window, rehash churn on a full table).</summary>
    public static readonly IReadOnlyDictionary<string, string> Clock = new Dictionary<string, string>
    {
        ["full-hash-churn"] = """
            local t = {}
            for i = 1, 1 << 16 do t["k" .. i] = i end
            local n = 0
            function filter(pkt) while true do n = n + 1 t["n" .. n] = 1 t["n" .. n] = nil end end
            """,
        ["first-window"] = """
            local s = string.rep("a", 1 << 20)
            function filter(pkt) local a = s:upper() local b = s:upper() local c = s:upper() local d = s:upper() return true end
            """,
        ["rehash-on-every-key"] = """
            local t = {}
            function filter(pkt) local n = 0 while true do n = n + 1 t[n] = true t[n - 1] = nil end end
            """,
    };

    /// <summary>Every class, keyed "class/name".</summary>
    public static IEnumerable<(string Name, string Script)> All() =>
        new[] { ("cstack", CStack), ("cloops", CLoops), ("afterstop", AfterStop), ("collector", Collector), ("clock", Clock) }
            .SelectMany(c => c.Item2.Select(s => ($"{c.Item1}/{s.Key}", s.Value)));

    /// <summary>The script of "class/name".</summary>
    public static string Get(string name) => All().Single(s => s.Name == name).Script;
}
