using System.Buffers.Binary;
using NfLua.Fuzz.Engine;
using NfLua.Packets;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// NfLua.Packets on one packet: <see cref="PacketParser"/> (every offset inside the packet), the built-in layouts
/// and fuzz-chosen fields through <see cref="BitField"/> (against a bit-at-a-time model; writes read back and
/// touch nothing else), and <see cref="Checksums"/> (what it recomputes verifies, and recomputing is idempotent).
/// </summary>
internal sealed class PacketsTarget : IFuzzTarget
{
    public string Name => "packets";

    public IReadOnlyList<byte[]> Dictionary { get; } =
        [[0x45, 0x00], [0x46], [0x4F], [0x60, 0x00], [0x06], [0x11], [0x01], [0x3A], [0x00, 0x00], [0xFF, 0xFF], [0x20, 0x00], [0x3F, 0xFF], [0x2B], [0x2C], [0x32], [0x33], [0x3B], [0x50, 0x18], [0xF0]];

    public IEnumerable<Seed> Seeds() => PacketBuilder.Samples().Select(s => new Seed(s.Name + ".bin", s.Packet));

    public byte[] Generate(Random random) => PacketBuilder.Random(random);

    public bool Check(byte[] input)
    {
        bool parsed = PacketParser.TryParse(input, out PacketInfo info);
        if (parsed)
        {
            CheckInfo(input, info);
            CheckBuiltInLayouts(input, info);
        }

        Random random = InputRandom.For(input);
        CheckBitFields(input, random);
        CheckChecksums(input);
        return parsed;
    }

    private static void CheckInfo(byte[] packet, in PacketInfo info)
    {
        InvariantViolationException.Assert(info.Version is 4 or 6, $"version {info.Version}");
        InvariantViolationException.Assert(info.Length > 0 && info.Length <= packet.Length, $"Length {info.Length} of a {packet.Length}-byte span");
        InvariantViolationException.Assert(info.NetworkHeaderLength >= 20 && info.NetworkHeaderLength <= info.Length, $"network header {info.NetworkHeaderLength} of {info.Length}");
        InvariantViolationException.Assert(info.DestinationAddressOffset + info.AddressLength <= info.Length, "addresses beyond the packet");
        InvariantViolationException.Assert(
            info.HasTransportHeader ? info.TransportHeaderLength > 0 && info.TransportOffset + info.TransportHeaderLength <= info.Length : info.TransportHeaderLength == 0,
            $"transport header {info.TransportOffset}+{info.TransportHeaderLength} of {info.Length}");
        InvariantViolationException.Assert(
            info.PayloadOffset >= info.TransportOffset + info.TransportHeaderLength && info.PayloadLength >= 0 && info.PayloadOffset + info.PayloadLength <= info.Length,
            $"payload {info.PayloadOffset}+{info.PayloadLength} of {info.Length}");
        InvariantViolationException.Assert(!info.IsFragment || info.FragmentOffset > 0 || info.MoreFragments || info.Version == 6, "a fragment at offset 0 without more fragments (IPv4)");
        InvariantViolationException.Assert(!(info.HasTransportHeader && info.IsFragment && !info.IsFirstFragment), "a later fragment with a transport header");
        InvariantViolationException.Assert(!info.HasTransportHeader || info.HasTransport, "a transport header without a transport");
        InvariantViolationException.Assert(
            info.HasTransport ? info.TransportOffset + info.TransportLength <= info.Length && info.PayloadOffset + info.PayloadLength <= info.TransportOffset + info.TransportLength : info.TransportLength == 0,
            "the transport or its payload runs past the IP packet or the transport");
        _ = info.GetSourceAddress(packet).Length + info.GetDestinationAddress(packet).Length + info.GetTransportHeader(packet).Length + info.GetPayload(packet).Length;
        if (info.HasTransportHeader && info.Protocol is IpProtocol.Tcp or IpProtocol.Udp)
        {
            ReadOnlySpan<byte> transport = info.GetTransportHeader(packet);
            InvariantViolationException.Assert(BinaryPrimitives.ReadUInt16BigEndian(transport) == info.SourcePort, "source port");
            InvariantViolationException.Assert(BinaryPrimitives.ReadUInt16BigEndian(transport[2..]) == info.DestinationPort, "destination port");
        }
    }

    private static void CheckBuiltInLayouts(byte[] packet, in PacketInfo info)
    {
        CheckLayout(packet, info.Version == 4 ? "ipv4" : "ipv6");
        if (info.HasTransport)
        {
            string? transport = info.Protocol switch
            {
                IpProtocol.Tcp => "tcp",
                IpProtocol.Udp => "udp",
                IpProtocol.Icmp => "icmp",
                IpProtocol.IcmpV6 => "icmpv6",
                IpProtocol.Gre => "gre",
                IpProtocol.Sctp => "sctp",
                _ => null,
            };
            if (transport is not null)
            {
                CheckLayout(packet.AsSpan(info.TransportOffset, info.TransportLength), transport);
            }
        }
    }

    private static void CheckLayout(ReadOnlySpan<byte> header, string layout)
    {
        foreach (LayoutFieldSpec field in BuiltInLayouts.All[layout])
        {
            if (field.Kind == LayoutFieldKind.Number)
            {
                CheckRead(header, field.BitOffset, field.BitLength, field.Endian, $"{layout}.{field.Name}");
            }
        }
    }

    private static void CheckRead(ReadOnlySpan<byte> data, long bitOffset, int bitLength, Endianness endian, string what)
    {
        bool fits = BitModel.Fits(data.Length, bitOffset, bitLength);
        bool read = BitField.TryRead(data, bitOffset, bitLength, endian, out ulong value);
        InvariantViolationException.Assert(read == fits, $"{what}: TryRead({bitOffset}, {bitLength}) returned {read} on {data.Length} bytes");
        if (read)
        {
            ulong expected = BitModel.Read(data, bitOffset, bitLength, IsLittle(endian));
            InvariantViolationException.Assert(value == expected, $"{what}: read 0x{value:X} at bit {bitOffset}, {bitLength} bits {endian}; the model reads 0x{expected:X}");
        }
    }

    private static void CheckBitFields(byte[] input, Random random)
    {
        Endianness[] orders = [Endianness.Big, Endianness.Little, Endianness.Host];
        long bits = (long)input.Length * 8;
        for (int i = 0; i < 8; i++)
        {
            int length = random.Next(8) == 0 ? random.Next(-2, 70) : random.Next(1, 65);
            long offset = random.Next(8) switch
            {
                0 => bits - length + random.Next(-2, 3),
                1 => random.Next(-9, 1),
                2 => random.NextInt64(),
                _ => random.NextInt64(-8, bits + 8),
            };
            Endianness endian = orders[random.Next(orders.Length)];
            CheckRead(input, offset, length, endian, "field");
            CheckWrite(input, offset, length, endian, (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));
        }
    }

    private static void CheckWrite(byte[] input, long bitOffset, int bitLength, Endianness endian, ulong value)
    {
        byte[] copy = (byte[])input.Clone();
        bool wrote = BitField.TryWrite(copy, bitOffset, bitLength, endian, value);
        InvariantViolationException.Assert(wrote == BitModel.Fits(input.Length, bitOffset, bitLength), $"TryWrite({bitOffset}, {bitLength}) returned {wrote} on {input.Length} bytes");
        if (!wrote)
        {
            InvariantViolationException.Assert(copy.AsSpan().SequenceEqual(input), "a refused write changed bytes");
            return;
        }

        ulong mask = bitLength == 64 ? ulong.MaxValue : (1UL << bitLength) - 1;
        InvariantViolationException.Assert(BitField.TryRead(copy, bitOffset, bitLength, endian, out ulong back) && back == (value & mask),
            $"wrote 0x{value & mask:X} at bit {bitOffset}, {bitLength} bits {endian}; read back 0x{back:X}");
        for (long bit = 0; bit < (long)input.Length * 8; bit++)
        {
            if ((bit < bitOffset || bit >= bitOffset + bitLength) && BitModel.Bit(copy, bit) != BitModel.Bit(input, bit))
            {
                throw new InvariantViolationException($"a write at bit {bitOffset}, {bitLength} bits {endian} changed bit {bit}");
            }
        }
    }

    private static void CheckChecksums(byte[] input)
    {
        ushort sum = Checksums.InternetChecksum(input);
        InvariantViolationException.Assert(sum == (ushort)~ChecksumModel.Fold(ChecksumModel.Sum(input)), "InternetChecksum disagrees with RFC 1071");
        byte[] packet = (byte[])input.Clone();
        if (!Checksums.TryRecompute(packet))
        {
            return;
        }

        byte[] again = (byte[])packet.Clone();
        InvariantViolationException.Assert(Checksums.TryRecompute(again) && again.AsSpan().SequenceEqual(packet), "recomputing checksums twice changed the packet");
        InvariantViolationException.Assert(PacketParser.TryParse(packet, out PacketInfo info), "a packet with recomputed checksums no longer parses");
        if (info.Version == 4)
        {
            InvariantViolationException.Assert(ChecksumModel.Verifies(packet.AsSpan(0, (packet[0] & 0x0F) * 4)), "the recomputed IPv4 header checksum does not verify");
        }

        bool hasChecksum = info.Protocol switch
        {
            IpProtocol.Tcp or IpProtocol.Udp => true,
            IpProtocol.Icmp => info.Version == 4,
            IpProtocol.IcmpV6 => info.Version == 6,
            _ => false,
        };
        if (info.IsFragment || !hasChecksum)
        {
            return;
        }

        ReadOnlySpan<byte> segment = packet.AsSpan(info.TransportOffset, info.Length - info.TransportOffset);
        if (info.Protocol == IpProtocol.Udp)
        {
            segment = segment[..BinaryPrimitives.ReadUInt16BigEndian(segment[4..])];
            if (info.Version == 4 && BinaryPrimitives.ReadUInt16BigEndian(segment[6..]) == 0)
            {
                return; // sent without a checksum, and kept so
            }
        }

        uint pseudo = info.Protocol == IpProtocol.Icmp ? 0 : ChecksumModel.PseudoHeader(packet, info, segment.Length);
        InvariantViolationException.Assert(ChecksumModel.Verifies(segment, pseudo), $"the recomputed protocol {info.Protocol} checksum does not verify");
    }

    private static bool IsLittle(Endianness endian) => endian == Endianness.Little || (endian == Endianness.Host && BitConverter.IsLittleEndian);
}
