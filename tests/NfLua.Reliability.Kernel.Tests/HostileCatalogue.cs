namespace NfLua.Reliability.Kernel.Tests;

/// <summary>
/// Rules written to hang, exhaust or break nfluad, each a whole script whose every <c>filter</c> call must fail by a
/// limit or an error. The first ones repeat the sandbox issue's list (tests/NfLua.Scripting.Tests HostileRuleTests);
/// the rest are new.
/// </summary>
internal static class HostileCatalogue
{
    public static IReadOnlyList<(string Name, string Script)> Rules { get; } =
    [
        ("infinite-loop", "while true do end"),
        ("pcall-swallowed-loop", "while true do pcall(function() while true do end end) end"),
        ("error-loop-in-pcall", "while true do pcall(error, {}) end"),
        ("table-memory-bomb", "local t = {} while true do t[#t + 1] = {} end"),
        ("string-doubling", "local s = 'x' while true do s = s .. s end"),
        ("string-rep-bomb", "return string.rep('x', 1 << 30)"),
        ("string-rep-empty-huge-count", "return string.rep('', 1 << 52)"),
        ("string-rep-separator-bomb", "return string.rep('x', 1 << 20, string.rep('y', 1 << 10))"),
        ("deep-recursion", "local function f(n) return 1 + f(n + 1) end return f(1)"),
        ("endless-tail-call", "local function f() return f() end return f()"),
        ("pathological-pattern", "return string.rep('a', 5000):find('.-.-.-.-b')"),
        ("coroutine-loop", "coroutine.wrap(function() while true do end end)()"),
        ("coroutine-ping-pong", "local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end"),
        ("coroutine-nesting", "local function nest() return coroutine.wrap(function() return nest()() end) end return nest()()"),
        ("hostile-tostring-error", "error(setmetatable({}, { __tostring = function() while true do end end }))"),
        ("huge-error-message", "error(string.rep('x', 4 << 20))"),
        ("huge-return-values", "local t = {} for i = 1, 200000 do t[i] = i end return table.unpack(t)"),
        ("unpack-too-many", "return select('#', table.unpack({}, 1, 1 << 30))"),
        ("sort-comparator-loop", "local t = {} for i = 1, 50 do t[i] = i end table.sort(t, function(a, b) while true do end end)"),
        ("sort-invalid-order", "local t = {} for i = 1, 500 do t[i] = i % 7 end table.sort(t, function(a, b) return true end) return 'nonsense'"),
        ("table-move-huge", "return table.move({}, 1, 1 << 52, 2)"),
        ("concat-in-a-loop", "local s = '' while true do s = s .. 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' end"),
        ("table-concat-giant", "local t = {} for i = 1, 400000 do t[i] = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' end return table.concat(t)"),
        ("recursive-index-metamethod", "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end return t.x"),
        ("index-chain-loop", "local a, b = {}, {} setmetatable(a, { __index = b }) setmetatable(b, { __index = a }) return a.x"),
        ("recursive-eq-metamethod", "local mt = {} mt.__eq = function(a, b) return a == b end local x, y = setmetatable({}, mt), setmetatable({}, mt) return x == y"),
        ("many-small-allocations", "while true do local t = { 1, 2, 3 } end"),
        ("string-interning-flood", "local t = {} for i = 1, 1 << 40 do t[tostring(i)] = i end"),
        ("gsub-callback-loop", "return ('aaaa'):gsub('a', function() while true do end end)"),
        ("gsub-expansion-bomb", "return string.rep('a', 100000):gsub('a', string.rep('b', 1000))"),
        ("format-tostring-loop", "return string.format('%s', setmetatable({}, { __tostring = function() while true do end end }))"),
        ("utf8-walk-huge", "for _, c in utf8.codes(string.rep('\\u{10FFFF}', 1 << 21)) do end"),
        ("string-pack-huge", "return string.pack('s4', string.rep('x', 1 << 24))"),
        ("gc-metatable", "setmetatable({}, { __gc = function() while true do end end }) return 'nonsense'"),
        ("bad-return-table", "return {}"),
        ("packet-layout-flood", "while true do pkt:layout{ a = {0, 8} } end"),
        ("data-new-bomb", "local t = {} while true do t[#t + 1] = data.new(65536) end"),
        ("flow-table-flood", "local f = nflua.flow(pkt) local i = 0 while true do i = i + 1 f[i] = string.rep('x', 100) end"),
    ];
}
