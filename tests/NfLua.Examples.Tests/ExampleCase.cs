using NfLua.Packets.Capture;

namespace NfLua.Examples.Tests;

/// <summary>One packet of an example's capture and the verdict the rule must give it.</summary>
/// <param name="Name">What the packet is, for failure messages.</param>
/// <param name="Packet">The IP packet.</param>
/// <param name="Verdict">The verdict word nflua-ctl prints: pass, accept, drop, ...</param>
/// <param name="Mark">The mark the verdict must carry; null when it must carry none.</param>
internal sealed record ExampleCase(string Name, byte[] Packet, string Verdict, uint? Mark = null)
{
    private readonly long? _atMilliseconds;

    /// <summary>
    /// The packet's capture time, in milliseconds from the capture's first record (which is at 0 unless it says
    /// otherwise), so what <c>nflua.now()</c> returns to the rule, less a constant. Null: a millisecond after the
    /// previous packet (see <see cref="NfluaCtl.WriteCapture"/>).
    /// </summary>
    public long? AtMilliseconds
    {
        get => _atMilliseconds;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value ?? 0, nameof(AtMilliseconds));
            _atMilliseconds = value;
        }
    }

    /// <summary>
    /// The interface the packet was captured on (a pcapng interface's if_name); null for none. A case with one is
    /// written to a pcapng capture (see <see cref="NfluaCtl.WriteCapture"/>), where nflua-ctl test reads it as the
    /// packet's <c>indev</c> or <c>outdev</c>, by <see cref="Direction"/>.
    /// </summary>
    public string? Interface { get; init; }

    /// <summary>The packet's direction on <see cref="Interface"/> (a pcapng epb_flags): inbound gives hook "input", outbound "output".</summary>
    public CaptureDirection Direction { get; init; }

    /// <summary>This case received on <paramref name="name"/>.</summary>
    public ExampleCase In(string name) => this with { Interface = name, Direction = CaptureDirection.Inbound };

    /// <summary>This case sent on <paramref name="name"/>.</summary>
    public ExampleCase Out(string name) => this with { Interface = name, Direction = CaptureDirection.Outbound };

    public static ExampleCase Pass(string name, byte[] packet) => new(name, packet, "pass");

    public static ExampleCase Drop(string name, byte[] packet) => new(name, packet, "drop");

    /// <summary>This case at <paramref name="milliseconds"/> from the capture's start.</summary>
    public ExampleCase At(long milliseconds) => this with { AtMilliseconds = milliseconds };
}
