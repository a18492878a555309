namespace NfLua.Scripting.Streams;

/// <summary>What <c>nflua.stream(pkt)</c> has for the current packet (docs/streams.md).</summary>
public enum StreamStatus : byte
{
    /// <summary>The rule does not track streams, or the packet is not TCP.</summary>
    NotTracked,

    /// <summary>The stream's contiguous bytes, this packet's included.</summary>
    Ready,

    /// <summary>The connection's start was not seen (no SYN): byte offsets are unknown.</summary>
    Midstream,

    /// <summary>Bytes before this packet's are missing: it is remembered until the hole fills.</summary>
    Hole,

    /// <summary>The packet's bytes lie past the rule's stream depth: they are not kept or compared.</summary>
    DepthReached,

    /// <summary>No new stream bytes (a bare ACK, a SYN, a FIN or RST without data, a retransmission of acknowledged bytes, a keep-alive).</summary>
    NoData,

    /// <summary>A SYN carrying data: not stream bytes (the receiver does not deliver them without TCP Fast Open).</summary>
    SynData,

    /// <summary>Dropped: the packet's bytes differ from bytes the stream already holds (an overlap or retransmission that rewrites).</summary>
    Conflict,

    /// <summary>Dropped: data outside the receiver's window, before the stream's start, or after its FIN; or data without ACK after the handshake.</summary>
    Invalid,

    /// <summary>Dropped: the bytes could not be kept (out-of-order pieces or stream memory at their bound).</summary>
    NoRoom,

    /// <summary>Dropped: the queue's copy range cut the packet, so its bytes cannot all be judged.</summary>
    Truncated,
}

/// <summary>A flow's sticky verdict (<c>nflua.flow_verdict</c>).</summary>
public enum StickyVerdict : byte
{
    /// <summary>None: the rule judges every packet.</summary>
    None,

    /// <summary>Every later packet of the flow, both directions, is dropped without a call.</summary>
    Drop,

    /// <summary>Accept asked for; it sticks once the receiver acknowledges the bytes it was based on.</summary>
    AcceptPending,

    /// <summary>Every later packet of the flow is accepted without a call.</summary>
    Accept,
}
