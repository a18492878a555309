using System.Runtime.CompilerServices;

namespace NfLua.Examples.Tests;

/// <summary>One packet of an example's capture and the verdict the rule must give it.</summary>
/// <param name="Name">What the packet is, for failure messages.</param>
/// <param name="Packet">The IP packet (the case keeps its own copy).</param>
/// <param name="Verdict">The verdict word nflua-ctl prints: pass, accept, drop, ...</param>
/// <param name="Mark">The mark the verdict must carry; null when it must carry none.</param>
internal sealed record ExampleCase(string Name, byte[] Packet, string Verdict, uint? Mark = null)
{
    // The capture time of the packets of timed cases. ExampleAssert and SampleCaptureTests hand NfluaCtl.WriteCapture
    // the cases' packets only (IEnumerable<byte[]>), so the time travels with the packet array: every case owns a
    // copy of its packet (see Packet), which makes the array's identity a key for its case's time. A weak table, so
    // that the entries go with the cases.
    private static readonly ConditionalWeakTable<byte[], StrongBox<long>> s_times = new();

    private readonly long? _atMilliseconds;

    /// <summary>The IP packet: a copy of the one given, owned by this case (and by its <c>with</c> copies that keep its time).</summary>
    public byte[] Packet { get; init; } = Packet.ToArray();

    /// <summary>
    /// The packet's capture time, in milliseconds from the capture's first record (which is at 0 unless it says
    /// otherwise), so what <c>nflua.now()</c> returns to the rule, less a constant. Null: a millisecond after the
    /// previous packet.
    /// </summary>
    public long? AtMilliseconds
    {
        get => _atMilliseconds;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value ?? 0, nameof(AtMilliseconds));
            _atMilliseconds = value;
            Packet = Packet.ToArray();   // a new key: the case this one may be a copy of keeps its own time
            if (value is long milliseconds)
            {
                s_times.Add(Packet, new StrongBox<long>(milliseconds));
            }
        }
    }

    public static ExampleCase Pass(string name, byte[] packet) => new(name, packet, "pass");

    public static ExampleCase Drop(string name, byte[] packet) => new(name, packet, "drop");

    /// <summary>This case at <paramref name="milliseconds"/> from the capture's start.</summary>
    public ExampleCase At(long milliseconds) => this with { AtMilliseconds = milliseconds };

    /// <summary>The capture time of the case that owns <paramref name="packet"/>; null when it has none.</summary>
    public static long? TimeOf(byte[] packet) => s_times.TryGetValue(packet, out StrongBox<long>? time) ? time.Value : null;
}
