using System.Buffers.Binary;

namespace NfLua.Packets;

/// <summary>
/// Identifies a flow: IP version, transport protocol, and both endpoints (address and port). Direction-sensitive:
/// a reply has the <see cref="Reverse"/> key; use <see cref="Canonical"/> to map both directions to one key.
/// </summary>
/// <remarks>
/// Ports are those of TCP and UDP; other protocols (and fragments after the first) have ports 0. The hash comes from
/// <see cref="HashCode"/>, which is seeded per process, so remote hosts cannot aim packets at one bucket.
/// </remarks>
public readonly struct FlowKey : IEquatable<FlowKey>
{
    // Addresses as big-endian numbers: an IPv4 address sits in the low 32 bits.
    private readonly UInt128 _source;
    private readonly UInt128 _destination;

    private FlowKey(int version, byte protocol, UInt128 source, ushort sourcePort, UInt128 destination, ushort destinationPort)
    {
        Version = version;
        Protocol = protocol;
        _source = source;
        SourcePort = sourcePort;
        _destination = destination;
        DestinationPort = destinationPort;
    }

    /// <summary>IP version: 4 or 6 (0 for the default key).</summary>
    public int Version { get; }

    /// <summary>Transport protocol number (<see cref="IpProtocol"/>).</summary>
    public byte Protocol { get; }

    /// <summary>Source port, or 0.</summary>
    public ushort SourcePort { get; }

    /// <summary>Destination port, or 0.</summary>
    public ushort DestinationPort { get; }

    /// <summary>Length of each address in bytes: 4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Version == 4 ? 4 : 16;

    /// <summary>True for the key of a packet from source to destination in the canonical direction.</summary>
    public bool IsCanonical => Compare(_source, SourcePort, _destination, DestinationPort) <= 0;

    /// <summary>The key of a parsed packet.</summary>
    /// <param name="packet">The span <paramref name="info"/> was parsed from.</param>
    /// <param name="info">The result of <see cref="PacketParser.TryParse"/> on <paramref name="packet"/>.</param>
    /// <returns>The key, in the packet's direction.</returns>
    public static FlowKey FromPacket(ReadOnlySpan<byte> packet, in PacketInfo info) => new(
        info.Version,
        info.Protocol,
        ReadAddress(info.GetSourceAddress(packet)),
        info.SourcePort,
        ReadAddress(info.GetDestinationAddress(packet)),
        info.DestinationPort);

    /// <summary>Builds a key from its parts.</summary>
    /// <param name="protocol">Transport protocol number.</param>
    /// <param name="sourceAddress">4 or 16 bytes, network order.</param>
    /// <param name="sourcePort">Source port, or 0.</param>
    /// <param name="destinationAddress">Same length as <paramref name="sourceAddress"/>.</param>
    /// <param name="destinationPort">Destination port, or 0.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The addresses are not both 4 or both 16 bytes long.</exception>
    public static FlowKey Create(
        byte protocol, ReadOnlySpan<byte> sourceAddress, ushort sourcePort, ReadOnlySpan<byte> destinationAddress, ushort destinationPort)
    {
        if (sourceAddress.Length != destinationAddress.Length || sourceAddress.Length is not (4 or 16))
        {
            throw new ArgumentException("addresses must both be 4 (IPv4) or both 16 (IPv6) bytes long", nameof(sourceAddress));
        }

        int version = sourceAddress.Length == 4 ? 4 : 6;
        return new FlowKey(version, protocol, ReadAddress(sourceAddress), sourcePort, ReadAddress(destinationAddress), destinationPort);
    }

    /// <summary>The key of the opposite direction: endpoints swapped.</summary>
    /// <returns>The reversed key.</returns>
    public FlowKey Reverse() => new(Version, Protocol, _destination, DestinationPort, _source, SourcePort);

    /// <summary>The same key for both directions: the endpoint with the lower (address, port) becomes the source.</summary>
    /// <returns>This key or its reverse.</returns>
    public FlowKey Canonical() => IsCanonical ? this : Reverse();

    /// <summary>Writes the source address (network order).</summary>
    /// <param name="destination">At least <see cref="AddressLength"/> bytes.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public bool TryWriteSourceAddress(Span<byte> destination) => TryWriteAddress(_source, destination);

    /// <summary>Writes the destination address (network order).</summary>
    /// <param name="destination">At least <see cref="AddressLength"/> bytes.</param>
    /// <returns>False when <paramref name="destination"/> is too small.</returns>
    public bool TryWriteDestinationAddress(Span<byte> destination) => TryWriteAddress(_destination, destination);

    /// <inheritdoc/>
    public bool Equals(FlowKey other) =>
        _source == other._source && _destination == other._destination && SourcePort == other.SourcePort &&
        DestinationPort == other.DestinationPort && Protocol == other.Protocol && Version == other.Version;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(_source, _destination, (SourcePort << 16) | DestinationPort, (Version << 8) | Protocol);

    /// <summary>For logs: <c>proto 6 10.0.0.1:1234 -> 10.0.0.2:80</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        Span<byte> source = stackalloc byte[16];
        Span<byte> destination = stackalloc byte[16];
        TryWriteSourceAddress(source);
        TryWriteDestinationAddress(destination);
        return FormattableString.Invariant(
            $"proto {Protocol} {IPAddressText.Format(source[..AddressLength])}:{SourcePort} -> {IPAddressText.Format(destination[..AddressLength])}:{DestinationPort}");
    }

    /// <summary>Compares two keys for equality.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">Another key.</param>
    /// <returns>True when they are equal.</returns>
    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    /// <summary>Compares two keys for inequality.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">Another key.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);

    private static UInt128 ReadAddress(ReadOnlySpan<byte> address) =>
        address.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(address) : BinaryPrimitives.ReadUInt128BigEndian(address);

    private static int Compare(UInt128 address, ushort port, UInt128 otherAddress, ushort otherPort)
    {
        int byAddress = address.CompareTo(otherAddress);
        return byAddress != 0 ? byAddress : port.CompareTo(otherPort);
    }

    private bool TryWriteAddress(UInt128 address, Span<byte> destination)
    {
        if (destination.Length < AddressLength)
        {
            return false;
        }

        if (Version == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)address);
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, address);
        }

        return true;
    }
}
