using System.Text;
using System.Text.RegularExpressions;
using NfLua.Daemon.Configuration;
using NfLua.Fuzz.Engine;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// nfluad's configuration loader (<see cref="ConfigLoader.Load"/>) on one configuration text: it must return
/// either a configuration that holds together (queue numbers unique, rules named, limits valid) or errors that all
/// name the file (and, for a problem at a place, its line). Any exception is a finding.
/// </summary>
/// <remarks>
/// Generated texts are configurations with random settings of random types; mutations work on characters and
/// tokens. Some values are loops, finite and endless: the loader runs the file under an instruction budget, and
/// the target lowers it to <see cref="Instructions"/> so that an endless loop costs little.
/// </remarks>
internal sealed partial class ConfigTarget : IFuzzTarget
{
    private const string ConfigPath = "/etc/nflua/fuzz.lua";

    /// <summary>The instruction budget of one input (the daemon's is <see cref="ConfigLoader.MaxInstructions"/>).</summary>
    private const long Instructions = 100_000;

    private static readonly string[] s_functions = ["control", "logging", "defaults", "queue", "rule"];

    private static readonly string[] s_keys =
    [
        "socket", "mode", "group", "level", "max_instructions", "max_memory", "max_call_time_ms", "on_error", "max_flows",
        "number", "first", "last", "maxlen", "copy_range", "fail_open", "rcvbuf", "rules", "name", "script",
        "kind", "value", "file", "line", "unknown",
    ];

    private static readonly string[] s_values =
    [
        "0", "1", "-1", "2", "63", "64", "65535", "65536", "1000", "999", "4096", "1048576", "1073741824", "1073741825", "10000", "10001",
        "65536", "9223372036854775807", "-9223372036854775808", "0x7fffffff", "1 << 40", "2^31", "7 // 2",
        "true", "false", "nil", "{}", "{ 1, 2 }", "\"\"", "\"0660\"", "\"0666\"", "\"0778\"", "\"660\"", "\"/run/nflua/x.sock\"", "\"relative.sock\"",
        "\"accept\"", "\"drop\"", "\"maybe\"", "\"debug\"", "\"information\"", "\"Trace\"", "\"none\"", "\"rules/a.lua\"", "\"/abs/b.lua\"",
        "\"a\\0b\"", "\"\\xff\\xfe\"", "\"ssh-banner\"", "\"bad name!\"", "string.rep(\"x\", 65)", "\"rule\"", "print", "math",
        "setmetatable({}, {})", "setmetatable({}, { __index = function() return 1 end })",
        "setmetatable({}, { __index = function(t, k) error(\"no \" .. tostring(k)) end })",
        "(function() local n = 0 for i = 1, 1000 do n = n + i end return n end)()",
        "(function() while true do end end)()", "(function() repeat until false end)()",
        "(function() local f f = function() return f() end return f() end)()",
    ];

    public string Name => "config";

    public IReadOnlyList<byte[]> Dictionary { get; } =
        [.. s_functions.Concat(s_keys).Concat(s_values).Concat(["{", "}", "(", ")", ",", "=", "\"", "--", "[[", "]]", "\n", "local x = ", "x", "..", "#", "__nflua_entries"])
            .Select(Encoding.UTF8.GetBytes)];

    public IEnumerable<Seed> Seeds()
    {
        yield return Text("full.lua", """
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
            """);
        yield return Text("minimal.lua", "queue { 0 }\n");
        yield return Text("empty.lua", "-- nothing configured: built-in defaults\n");
        yield return Text("locals.lua", """
            local base = 100000
            local function limited(name, path) return rule { name, script = path, max_instructions = base * 2 } end
            queue { number = 5, limited("a", "/srv/a.lua"), limited("b", "b.lua") }
            """);
        yield return Text("errors.lua", """
            control { socket = "relative", mode = "0666" }
            queue { 70000, maxlen = 0, rule { "bad name", script = "" } }
            queue { first = 9, last = 3 }
            rule { "outside", script = "x.lua" }
            """);
        yield return Text("syntax-error.lua", "queue { 0,\n  rule { \"x\" script = \"y.lua\" } }\n");
    }

    public byte[] Generate(Random random)
    {
        var text = new StringBuilder();
        int calls = random.Next(0, 6);
        for (int i = 0; i < calls; i++)
        {
            string function = s_functions[random.Next(s_functions.Length)];
            text.Append(function).Append(" {");
            if (function == "queue" && random.Next(3) != 0)
            {
                text.Append(' ').Append(random.Next(4) == 0 ? s_values[random.Next(s_values.Length)] : random.Next(8).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }

            int settings = random.Next(0, 5);
            for (int s = 0; s < settings; s++)
            {
                text.Append(random.Next(6) == 0 ? "\n  " : " ");
                if (function == "queue" && random.Next(3) == 0)
                {
                    text.Append("rule { \"r").Append(random.Next(3)).Append("\", script = ").Append(s_values[random.Next(s_values.Length)]).Append(" },");
                    continue;
                }

                text.Append(s_keys[random.Next(s_keys.Length)]).Append(" = ").Append(s_values[random.Next(s_values.Length)]).Append(',');
            }

            text.Append(" }\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public bool Check(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        ConfigResult result = ConfigLoader.Load(text, ConfigPath, Instructions);
        if (result.Config is null)
        {
            InvariantViolationException.Assert(result.Errors.Count > 0, "no configuration and no error");
            foreach (string error in result.Errors)
            {
                InvariantViolationException.Assert(ErrorWithPlace().IsMatch(error), $"an error that does not name the file (and line): {error}");
            }

            return false;
        }

        InvariantViolationException.Assert(result.Errors.Count == 0, "a configuration with errors");
        DaemonConfig config = result.Config;
        InvariantViolationException.Assert(config.Queues.Select(q => q.Number).Distinct().Count() == config.Queues.Count, "a queue configured twice");
        foreach (QueueConfig queue in config.Queues)
        {
            InvariantViolationException.Assert(queue.MaxLength >= 1 && queue.CopyRange is >= 0 and <= 65535, $"queue {queue.Number}: maxlen {queue.MaxLength}, copy_range {queue.CopyRange}");
            foreach (RuleConfig rule in queue.Rules)
            {
                InvariantViolationException.Assert(rule.Name.Length is > 0 and <= 64 && Path.IsPathFullyQualified(rule.ScriptPath), $"rule '{rule.Name}' at '{rule.ScriptPath}'");
                InvariantViolationException.Assert(rule.Limits.Validate().Count == 0, $"rule '{rule.Name}': invalid limits {string.Join("; ", rule.Limits.Validate())}");
            }
        }

        return true;
    }

    private static Seed Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));

    // "/etc/nflua/fuzz.lua:12: ..." for a problem at a place; "/etc/nflua/fuzz.lua: ..." for the file as a whole.
    [GeneratedRegex(@"^/etc/nflua/fuzz\.lua(:\d+)?: \S")]
    private static partial Regex ErrorWithPlace();
}
