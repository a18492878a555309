using System.Text;
using NfLua.Fuzz.Engine;
using NfLua.Scripting;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// The <c>data</c> module through the real sandbox: one rule (data-fuzz-rule.lua) reads a program from the packet
/// and runs it, making data calls with fuzz-chosen layouts, offsets, widths, byte orders, segments and writes, and
/// checking each against luadata's documented behaviour. The invariant: <see cref="LuaRule.Filter"/> returns pass
/// without a failure (a broken check in the rule is a script error saying "INVARIANT"), never throws, and the
/// process survives (a crash leaves the input in the in-flight file).
/// </summary>
internal sealed class DataModuleTarget : IFuzzTarget, IDisposable
{
    /// <summary>Operations in the program (see the rule's header): 8 bytes each, after a count byte.</summary>
    private const int OperationBytes = 8;
    private const int Operations = 12;

    private readonly Lazy<LuaRule> _rule = new(Compile);

    public string Name => "data";

    public IReadOnlyList<byte[]> Dictionary { get; } =
        [[0x00], [0x01], [0x02], [0x03], [0x05], [0x06], [0x07], [0x08], [0x09], [0x0A], [0x0B], [0x40], [0x41], [0x3F], [0xC8], [0xFF]];

    public IEnumerable<Seed> Seeds()
    {
        foreach ((string name, byte[] packet) in PacketBuilder.Samples().Take(4))
        {
            // Read ipv4 fields, write one, take the transport segment, read a string, read built-ins.
            yield return new Seed($"ops-over-{name}.bin", Program(packet,
                [0, 8, 4, 4, 0, 0, 0, 0], [1, 8, 64, 8, 1, 1, 0, 7], [2, 8, 12, 4, 1, 0, 0, 0], [4, 2, 8, 20, 8, 0, 0, 0],
                [9, 2, 0, 0, 0, 0, 0, 0], [3, 8, 0, 8, 0, 0, 0, 5], [6, 1, 4, 9, 0, 0, 0, 0], [11, 0, 0, 0, 0, 0, 0, 0]));
        }

        yield return new Seed("bad-layouts.bin", Program(new byte[24], [.. Enumerable.Range(0, 12).Select(i => new byte[] { 7, (byte)i, 0, 0, 0, 0, 0, 0 })]));
        yield return new Seed("wrong-writes.bin", Program(new byte[4], [.. Enumerable.Range(0, 12).Select(i => new byte[] { 8, (byte)i, (byte)(i / 3), 0, 0, 0, 0, 0 })]));
        yield return new Seed("little-endian-fields.bin", Program([0xAB, 0xCD, 0xEF, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC],
            [0, 8, 4, 16, 0, 1, 3, 0], [0, 8, 0, 12, 0, 1, 4, 0], [1, 8, 3, 61, 0, 0, 5, 9], [0, 8, 0, 64, 0, 0, 5, 0], [1, 8, 5, 7, 0, 2, 1, 4]));
        yield return new Seed("new-objects.bin", Program(Encoding.ASCII.GetBytes("some body bytes"),
            [6, 0, 8, 3, 0, 0, 0, 0], [6, 1, 2, 9, 0, 0, 0, 0], [6, 2, 5, 1, 1, 0, 0, 0], [6, 2, 5, 1, 0, 0, 0, 0], [1, 8, 0, 8, 0, 0, 0, 1]));
    }

    public byte[] Generate(Random random)
    {
        byte[][] operations = new byte[random.Next(0, 16)][];
        for (int i = 0; i < operations.Length; i++)
        {
            operations[i] = new byte[OperationBytes];
            random.NextBytes(operations[i]);
            operations[i][0] = (byte)random.Next(Operations);
            if (random.Next(2) == 0)
            {
                operations[i][1] = (byte)(8 + (random.Next(32) << 5)); // a small offset, more often than chance
            }
        }

        byte[] body = random.Next(3) == 0 ? new byte[random.Next(0, 40)] : PacketBuilder.Random(random);
        random.NextBytes(random.Next(2) == 0 ? body : []);
        return Program(body, operations);
    }

    public bool Check(byte[] input)
    {
        byte[] packet = (byte[])input.Clone();
        FilterResult result = _rule.Value.Filter(packet);
        InvariantViolationException.Assert(result.Failure == RuleFailure.None, $"{result.Failure}: {result.Error}");
        InvariantViolationException.Assert(result.Verdict == FilterVerdict.Pass, $"verdict {result.Verdict}");
        return true;
    }

    public void Dispose()
    {
        if (_rule.IsValueCreated)
        {
            _rule.Value.Dispose();
        }
    }

    private static byte[] Program(byte[] body, params byte[][] operations) =>
        [(byte)operations.Length, .. operations.SelectMany(o => o), .. body];

    private static LuaRule Compile()
    {
        using Stream stream = typeof(DataModuleTarget).Assembly.GetManifestResourceStream("NfLua.Fuzz.data-fuzz-rule.lua")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Generous limits: the rule checks each call against a bit-at-a-time model, and a busy machine must not turn
        // that into a time-limit failure. Exhausting them would still be a finding.
        var limits = new RuleLimits { MaxInstructions = 20_000_000, MaxMemoryBytes = 64L << 20, MaxCallTime = TimeSpan.FromSeconds(5) };
        return LuaRule.Compile("data-fuzz", reader.ReadToEnd(), "data-fuzz-rule.lua", limits);
    }
}
