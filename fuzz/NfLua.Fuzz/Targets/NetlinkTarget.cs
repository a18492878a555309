using NfLua.Fuzz.Engine;
using NfLua.Netlink;
using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;
using static NfLua.Fuzz.Targets.NetlinkMessageBuilder;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// NfLua.Netlink's readers on one received datagram: <see cref="NetlinkMessageReader"/> (messages inside the
/// datagram, where it says), <see cref="NetlinkAttributeReader"/> on every message and nested attribute (payloads
/// inside their parent), <see cref="NetlinkErrorMessage"/>, and <see cref="NfQueuePacketParser"/>, whose layouts must
/// point inside the message and survive a round trip: the packet rewritten by <see cref="NetlinkMessageWriter"/>
/// parses to the same fields and bytes.
/// </summary>
internal sealed class NetlinkTarget : IFuzzTarget
{
    private const int AttributesStart = NfQueueMessages.HeaderSize;

    public string Name => "netlink";

    public IReadOnlyList<byte[]> Dictionary { get; } =
        [[0x00, 0x03], [0x02, 0x00], [0x03, 0x00], [0x08, 0x00], [0x0b, 0x00, 0x01, 0x00], [0x0c, 0x00, 0x09, 0x00], [0x04, 0x00, 0x0a, 0x00],
         [0x14, 0x00, 0x04, 0x00], [0x00, 0x80], [0xFF, 0xFF], [0x10, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x00]];

    public IEnumerable<Seed> Seeds()
    {
        int id = 1;
        foreach ((string name, byte[] packet) in PacketBuilder.Samples())
        {
            yield return new Seed($"packet-{name}.bin", Typical((uint)id, 0, packet, full: id % 2 == 1));
            id++;
        }

        byte[] two = [.. Typical(7, 3, PacketBuilder.Samples().First().Packet, full: false)];
        yield return new Seed("two-packets-one-datagram.bin", [.. two, .. new byte[(4 - (two.Length % 4)) % 4], .. Typical(8, 3, [0x45, 0, 0, 20], full: true)]);
        yield return new Seed("ack.bin", Error(0, 42));
        yield return new Seed("error-enobufs.bin", Error(105, 43));
        yield return new Seed("nested-unknown-attribute.bin", Message(1, 0,
            [PacketHeader(9, 0x86DD, 1), new WireAttribute(0x8000 | (ushort)NfQueueAttribute.Conntrack, Message(0, 0, [UInt32((NfQueueAttribute)1, 7), UInt32((NfQueueAttribute)2, 8)])[AttributesStart..]),
             Bytes(NfQueueAttribute.Payload, PacketBuilder.Samples().Last().Packet)]));
    }

    public byte[] Generate(Random random) => NetlinkMessageBuilder.Random(random);

    public bool Check(byte[] input)
    {
        int packets = 0;
        var reader = new NetlinkMessageReader(input);
        NetlinkReadStatus status;
        while ((status = reader.Read(out NetlinkMessage message, out int offset)) == NetlinkReadStatus.Item)
        {
            InvariantViolationException.Assert(offset >= 0 && offset % 4 == 0 && offset + message.Bytes.Length <= input.Length, $"message at {offset}+{message.Bytes.Length} of {input.Length}");
            InvariantViolationException.Assert(message.Bytes.Length >= NetlinkConstants.MessageHeaderSize, "message shorter than its header");
            InvariantViolationException.Assert(message.Bytes.SequenceEqual(input.AsSpan(offset, message.Bytes.Length)), "message bytes are not the datagram's at its offset");
            if (NetlinkErrorMessage.TryParse(message, out int errno, out _))
            {
                InvariantViolationException.Assert(errno >= 0, $"errno {errno}");
            }

            if (message.Bytes.Length >= AttributesStart)
            {
                WalkAttributes(message.Bytes[AttributesStart..], depth: 0);
            }

            if (NfQueuePacketParser.TryParse(message.Bytes, out PacketLayout layout))
            {
                packets++;
                CheckLayout(message.Bytes, layout);
                CheckRoundTrip(message.Bytes, layout);
            }
        }

        // The parser alone on the raw bytes, whatever nlmsg_len says (the layout must still lie inside them).
        if (NfQueuePacketParser.TryParse(input, out PacketLayout raw))
        {
            CheckLayout(input, raw);
        }

        return status == NetlinkReadStatus.End && packets > 0;
    }

    private static void WalkAttributes(ReadOnlySpan<byte> attributes, int depth)
    {
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.Read(out ushort type, out ReadOnlySpan<byte> payload, out int payloadOffset) == NetlinkReadStatus.Item)
        {
            InvariantViolationException.Assert(type <= NetlinkConstants.AttributeTypeMask, $"attribute type {type:X} keeps its flags");
            InvariantViolationException.Assert(payloadOffset >= NetlinkConstants.AttributeHeaderSize && payloadOffset + payload.Length <= attributes.Length,
                $"attribute payload {payloadOffset}+{payload.Length} of {attributes.Length}");
            if (depth < 4 && payload.Length >= NetlinkConstants.AttributeHeaderSize)
            {
                WalkAttributes(payload, depth + 1); // any payload may be nested attributes
            }
        }
    }

    private static void CheckLayout(ReadOnlySpan<byte> message, in PacketLayout layout)
    {
        CheckRange(layout.Has(PacketFields.Payload), layout.PayloadOffset, layout.PayloadLength, message.Length, "payload");
        CheckRange(layout.Has(PacketFields.HardwareAddress), layout.HardwareAddressOffset, layout.HardwareAddressLength, message.Length, "hardware address");
        CheckRange(layout.Has(PacketFields.SecurityContext), layout.SecurityContextOffset, layout.SecurityContextLength, message.Length, "security context");
        InvariantViolationException.Assert(!layout.Has(PacketFields.HardwareAddress) || layout.HardwareAddressLength <= 8, "hardware address over 8 bytes");
        var packet = new NfQueuePacket(message, in layout);
        _ = packet.Timestamp;
        _ = packet.Payload.Length + packet.HardwareAddress.Length + packet.SecurityContext.Length;
    }

    private static void CheckRange(bool present, int offset, int length, int messageLength, string what)
    {
        if (present)
        {
            InvariantViolationException.Assert(offset >= AttributesStart && length >= 0 && offset + length <= messageLength, $"{what} at {offset}+{length} of a {messageLength}-byte message");
        }
    }

    /// <summary>Writes the parsed packet back with NfLua's writer and parses it again: same fields, same bytes.</summary>
    private static void CheckRoundTrip(ReadOnlySpan<byte> message, in PacketLayout layout)
    {
        var packet = new NfQueuePacket(message, in layout);
        var attributes = new List<WireAttribute> { PacketHeader(layout.Id, layout.HardwareProtocol, layout.Hook) };
        AddScalar(attributes, layout, PacketFields.Mark, NfQueueAttribute.Mark, layout.Mark);
        AddScalar(attributes, layout, PacketFields.InputInterface, NfQueueAttribute.InputInterface, layout.InputInterface);
        AddScalar(attributes, layout, PacketFields.OutputInterface, NfQueueAttribute.OutputInterface, layout.OutputInterface);
        AddScalar(attributes, layout, PacketFields.PhysicalInputInterface, NfQueueAttribute.PhysicalInputInterface, layout.PhysicalInputInterface);
        AddScalar(attributes, layout, PacketFields.PhysicalOutputInterface, NfQueueAttribute.PhysicalOutputInterface, layout.PhysicalOutputInterface);
        AddScalar(attributes, layout, PacketFields.CaptureLength, NfQueueAttribute.CaptureLength, layout.CaptureLength);
        AddScalar(attributes, layout, PacketFields.SkbInfo, NfQueueAttribute.SkbInfo, layout.SkbInfo);
        AddScalar(attributes, layout, PacketFields.Uid, NfQueueAttribute.Uid, layout.Uid);
        AddScalar(attributes, layout, PacketFields.Gid, NfQueueAttribute.Gid, layout.Gid);
        AddScalar(attributes, layout, PacketFields.Priority, NfQueueAttribute.Priority, layout.Priority);
        if (layout.Has(PacketFields.Timestamp))
        {
            attributes.Add(Timestamp(layout.TimestampSeconds, layout.TimestampMicroseconds));
        }

        if (layout.Has(PacketFields.HardwareAddress))
        {
            attributes.Add(HardwareAddress(packet.HardwareAddress));
        }

        if (layout.Has(PacketFields.Payload))
        {
            attributes.Add(Bytes(NfQueueAttribute.Payload, packet.Payload.ToArray()));
        }

        if (layout.Has(PacketFields.SecurityContext))
        {
            attributes.Add(Bytes(NfQueueAttribute.SecurityContext, packet.SecurityContext.ToArray()));
        }

        byte[] rewritten = Message(layout.QueueNumber, 0, attributes);
        InvariantViolationException.Assert(NfQueuePacketParser.TryParse(rewritten, out PacketLayout again), "the rewritten packet message does not parse");
        var copy = new NfQueuePacket(rewritten, in again);
        InvariantViolationException.Assert(
            again.Fields == layout.Fields && again.QueueNumber == layout.QueueNumber && again.Id == layout.Id && again.HardwareProtocol == layout.HardwareProtocol
            && again.Hook == layout.Hook && copy.Mark == packet.Mark && copy.InputInterface == packet.InputInterface && copy.OutputInterface == packet.OutputInterface
            && copy.PhysicalInputInterface == packet.PhysicalInputInterface && copy.PhysicalOutputInterface == packet.PhysicalOutputInterface
            && copy.CaptureLength == packet.CaptureLength && copy.SkbInfo == packet.SkbInfo && copy.Uid == packet.Uid && copy.Gid == packet.Gid
            && copy.Priority == packet.Priority && again.TimestampSeconds == layout.TimestampSeconds && again.TimestampMicroseconds == layout.TimestampMicroseconds,
            "the rewritten packet message parses to other fields");
        InvariantViolationException.Assert(
            copy.Payload.SequenceEqual(packet.Payload) && copy.HardwareAddress.SequenceEqual(packet.HardwareAddress) && copy.SecurityContext.SequenceEqual(packet.SecurityContext),
            "the rewritten packet message parses to other bytes");
    }

    private static void AddScalar(List<WireAttribute> attributes, in PacketLayout layout, PacketFields field, NfQueueAttribute type, uint value)
    {
        if (layout.Has(field))
        {
            attributes.Add(UInt32(type, value));
        }
    }
}
