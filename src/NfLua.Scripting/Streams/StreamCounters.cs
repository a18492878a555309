namespace NfLua.Scripting.Streams;

/// <summary>What a rule's stream tracker did, for stats (only go up).</summary>
public sealed class StreamCounters
{
    /// <summary>Packets dropped because their bytes differed from bytes the stream held.</summary>
    public long Conflicts { get; internal set; }

    /// <summary>Packets dropped as the receiver would: outside its window, before the stream's start, after its FIN, data without ACK.</summary>
    public long Invalid { get; internal set; }

    /// <summary>Segments dropped because their (complete) checksum was wrong: the receiver drops them, so they are no stream bytes.</summary>
    public long BadChecksums { get; internal set; }

    /// <summary>Packets dropped because their bytes could not be kept (out-of-order or memory bounds).</summary>
    public long NoRoom { get; internal set; }

    /// <summary>Packets dropped because the copy range cut them.</summary>
    public long Truncated { get; internal set; }

    /// <summary>Out-of-order packets remembered until their hole filled.</summary>
    public long OutOfOrder { get; internal set; }

    /// <summary>Packets whose bytes lay past the depth.</summary>
    public long DepthReached { get; internal set; }

    /// <summary>Data packets of connections whose start was not seen.</summary>
    public long Midstream { get; internal set; }

    /// <summary>Packets dropped by a sticky drop without a call.</summary>
    public long StickyDrops { get; internal set; }

    /// <summary>Packets accepted by a sticky accept without a call.</summary>
    public long StickyAccepts { get; internal set; }

    /// <summary>Flows evicted to make room (idle flows without a drop verdict).</summary>
    public long Evicted { get; internal set; }

    /// <summary>Flows not tracked because nothing could be evicted.</summary>
    public long FlowsRefused { get; internal set; }
}
