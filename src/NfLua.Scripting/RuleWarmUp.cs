using System.Buffers.Binary;

namespace NfLua.Scripting;

/// <summary>
/// Calls every function NfLua adds to Lua once per process, before the first rule is compiled:
/// the first call into each of them (.NET code, compiled on first use unless the program was
/// published ready to run) would otherwise land in some rule's first packet, and a call that
/// returns after its time limit gives that packet the rule's on-error verdict.
/// </summary>
internal static class RuleWarmUp
{
    private static readonly Lazy<bool> s_done = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Warms up once; later calls return at once.</summary>
    public static void EnsureDone() => _ = s_done.Value;

    private static bool Run()
    {
        using Stream stream = typeof(RuleWarmUp).Assembly.GetManifestResourceStream("NfLua.Scripting.warm-up.lua")
            ?? throw new InvalidOperationException("NfLua.Scripting.warm-up.lua is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var limits = new RuleLimits { MaxCallTime = TimeSpan.FromSeconds(10), MaxCompileTime = TimeSpan.FromSeconds(10) };
        var interfaces = new WarmUpInterfaces();
        using LuaRule rule = LuaRule.CompileWarm("warm-up", memory.ToArray(), "warm-up.lua", limits, logger: null, new RuleEnvironment
        {
            Params = RuleParams.TryCreate(new Dictionary<string, object?> { ["ports"] = new List<object?> { 22L } }, out RuleParams p, out _) ? p : RuleParams.Empty,
            Sets = new Dictionary<string, NamedSet>
            {
                ["nets"] = new("nets", Packets.Sets.CidrSet.Build([Packets.Cidr.Parse("10.0.0.0/8")])),
                ["names"] = new("names", Packets.Sets.DomainSet.Build([[(byte)'x']], 1)),
            },
            Interfaces = interfaces,
        });
        byte[] packet = Udp();
        PacketMeta meta = PacketMeta.None;
        meta.Hook = PacketHook.Output;
        meta.OutputInterface = 1;
        meta.HasUid = true;
        meta.SetHardwareAddress([2, 0, 0, 0, 0, 1]);
        for (int i = 0; i < 3; i++)
        {
            FilterResult result = rule.Filter(packet, i, meta);
            if (result.Failure != RuleFailure.None || result.Verdict != FilterVerdict.Accept)
            {
                throw new InvalidOperationException($"NfLua's warm-up rule failed ({result.Failure}, {result.Verdict}): {result.Error}");
            }
        }

        // A TCP connection for the stream code: handshake, data, the acknowledgement that makes the accept stick.
        foreach (byte[] segment in TcpConversation())
        {
            FilterResult result = rule.Filter(segment, 3, meta);
            rule.EndPacket(result.Verdict is FilterVerdict.Accept or FilterVerdict.Pass);
            if (result.Failure != RuleFailure.None || result.Verdict != FilterVerdict.Accept)
            {
                throw new InvalidOperationException($"NfLua's warm-up rule failed on TCP ({result.Failure}, {result.Verdict}): {result.Error}");
            }
        }

        return true;
    }

    /// <summary>SYN, SYN/ACK, ACK, 4 bytes of data ("warm"), and the server's ACK of them, 10.0.0.1:1000 to 10.0.0.2:2000.</summary>
    private static IEnumerable<byte[]> TcpConversation()
    {
        yield return Tcp(fromClient: true, seq: 100, ack: 0, flags: 0x02, []);
        yield return Tcp(fromClient: false, seq: 500, ack: 101, flags: 0x12, []);
        yield return Tcp(fromClient: true, seq: 101, ack: 501, flags: 0x10, []);
        yield return Tcp(fromClient: true, seq: 101, ack: 501, flags: 0x18, "warm"u8.ToArray());
        yield return Tcp(fromClient: false, seq: 501, ack: 105, flags: 0x10, []);
    }

    private static byte[] Tcp(bool fromClient, uint seq, uint ack, byte flags, byte[] data)
    {
        var packet = new byte[40 + data.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 6;
        packet[12] = 10;
        packet[15] = (byte)(fromClient ? 1 : 2);
        packet[16] = 10;
        packet[19] = (byte)(fromClient ? 2 : 1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), fromClient ? (ushort)1000 : (ushort)2000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), fromClient ? (ushort)2000 : (ushort)1000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(28), ack);
        packet[32] = 5 << 4;
        packet[33] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(34), 65535);
        data.CopyTo(packet, 40);
        return packet;
    }

    private sealed class WarmUpInterfaces : IInterfaceNames
    {
        public long Version => 1;

        public ReadOnlySpan<byte> Name(uint index) => "lo"u8;
    }

    /// <summary>An IPv4 UDP packet, 10.0.0.1:1000 to 10.0.0.2:2000, with 8 bytes of payload.</summary>
    private static byte[] Udp()
    {
        var packet = new byte[36];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        packet[12] = 10;
        packet[15] = 1;
        packet[16] = 10;
        packet[19] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 1000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 2000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 16);
        return packet;
    }
}
