namespace NfLua.Packets;

/// <summary>What the IPv4 or IPv6 half of <see cref="PacketParser"/> found, before the transport header.</summary>
internal readonly record struct NetworkLayer(
    int Version,
    int Length,
    bool IsTruncated,
    int HeaderLength,
    byte Protocol,
    bool IsFragment,
    bool MoreFragments,
    int FragmentOffset,
    bool HasPendingRoute);
