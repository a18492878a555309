using System.Diagnostics;
using System.Globalization;
using System.Text;
using NfLua.Scripting;

namespace NfLua.Bench;

/// <summary>
/// The data module's operations one at a time (issue 18, target 2): runs bench/refs/data-ops.lua, whose header is the
/// contract shared with reference (a)'s C harness (bench/refs/nfq_lua.c --data-ops). Every op's <c>run(pkt, n)</c> is
/// called inside one <c>filter</c> call over the 200-byte packet the header describes (writable: the rule's own
/// packet object), and the time per iteration is printed as <c>data-op NS NAME</c>, the median of several repetitions
/// after a warm-up.
/// </summary>
internal static class DataOpsBenchmark
{
    private const int Repetitions = 7;

    // How long one measured call runs: long enough that the call's own cost and the op's setup vanish, short
    // enough to stay far below the call's time limit on a loaded machine.
    private static readonly TimeSpan s_target = TimeSpan.FromMilliseconds(150);

    // The limits a long loop needs: the largest budget and call time the limits allow, room for garbage.
    private static readonly RuleLimits s_limits = new()
    {
        MaxInstructions = RuleLimits.InstructionRange.Max,
        MaxCallTime = TimeSpan.FromMilliseconds(RuleLimits.CallTimeMsRange.Max),
        MaxMemoryBytes = 64L * 1024 * 1024,
    };

    public static void Run(string file)
    {
        string script = File.ReadAllText(file);
        List<string> names = OpNames(script, file);
        Console.WriteLine($"NfLua data-ops: {file}, {names.Count} ops, median of {Repetitions} calls of ~{s_target.TotalMilliseconds:0} ms each, .NET {Environment.Version}, {Environment.ProcessorCount} cpus");
        for (int op = 1; op <= names.Count; op++)
        {
            double ns = Measure(script, file, op);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data-op {ns:F1} {names[op - 1]}"));
        }
    }

    /// <summary>The packet of the contract: IPv4 (protocol 6, total length 200), TCP 40000 -> 443 with seq 0x01020304, 160 bytes 'a'..'z' cycling.</summary>
    internal static byte[] Packet()
    {
        var packet = new byte[200];
        packet[0] = 0x45;
        packet[2] = 0x00;
        packet[3] = 0xc8;
        packet[8] = 64;
        packet[9] = 6;
        packet[12] = 10; packet[15] = 1; packet[16] = 10; packet[19] = 2;
        packet[20] = 40000 >> 8; packet[21] = 40000 & 0xff; packet[22] = 443 >> 8; packet[23] = 443 & 0xff;
        packet[24] = 1; packet[25] = 2; packet[26] = 3; packet[27] = 4;
        packet[32] = 5 << 4;
        packet[33] = 0x18;
        for (int i = 0; i < 160; i++)
        {
            packet[40 + i] = (byte)('a' + (i % 26));
        }

        return packet;
    }

    private static double Measure(string script, string file, int op)
    {
        byte[] packet = Packet();

        // Calibrate: double n until a call takes a few milliseconds, then scale to the target.
        long n = 1000;
        double nsPerIteration;
        while (true)
        {
            nsPerIteration = Time(script, file, op, n, packet, repetitions: 1, warm: false);
            if (nsPerIteration * n >= 20e6 || n >= 1L << 36)
            {
                break;
            }

            n *= 2;
        }

        n = Math.Max(1000, (long)(s_target.TotalNanoseconds / Math.Max(nsPerIteration, 0.05)));
        return Time(script, file, op, n, packet, Repetitions, warm: true);
    }

    private static double Time(string script, string file, int op, long n, byte[] packet, int repetitions, bool warm)
    {
        string source = script + string.Create(CultureInfo.InvariantCulture,
            $"\nfunction filter(pkt) ops[{op}].run(pkt, {n}) return true end\n");
        using LuaRule rule = LuaRule.Compile("data-ops", source, Path.GetFileName(file), s_limits);
        byte[] working = new byte[packet.Length];
        void Call()
        {
            packet.CopyTo(working, 0);
            FilterResult result = rule.Filter(working);
            if (result.Failure != RuleFailure.None)
            {
                throw new InvalidOperationException($"data-ops op {op}: {result.Error}");
            }
        }

        if (warm)
        {
            WarmUp.Run(Call, 3); // tiered JIT, Lua's caches; by time as well as by count
        }

        var samples = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            long started = Stopwatch.GetTimestamp();
            Call();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / n);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>The ops' names, in order, from a rule that runs the chunk and fails with them (the contract's `ops` global).</summary>
    private static List<string> OpNames(string script, string file)
    {
        // The names come back as the error of a call: '|'-separated after a marker.
        string source = script + "\nfunction filter(pkt) local t = {} for i, op in ipairs(ops) do t[i] = op.name end error('@@ops@@' .. table.concat(t, '|'), 0) end\n";
        using LuaRule rule = LuaRule.Compile("data-ops", source, Path.GetFileName(file), s_limits);
        FilterResult result = rule.Filter(Packet());
        string error = result.Error ?? throw new InvalidOperationException($"{file}: no ops listed");
        int marker = error.IndexOf("@@ops@@", StringComparison.Ordinal);
        if (marker < 0)
        {
            throw new InvalidOperationException($"{file}: {error}");
        }

        return [.. error[(marker + 7)..].Split('|')];
    }
}
