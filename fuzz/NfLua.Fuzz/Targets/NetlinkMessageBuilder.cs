using System.Buffers.Binary;
using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// Builds NFQUEUE PACKET messages as the kernel sends them (nfqnl_build_packet_message's attributes, in its order)
/// with NfLua's own <see cref="NetlinkMessageWriter"/>, and random variations of them.
/// </summary>
internal static class NetlinkMessageBuilder
{
    /// <summary>One attribute to write: its type (flags included) and payload.</summary>
    public readonly record struct WireAttribute(ushort Type, byte[] Value);

    public static byte[] Message(ushort queue, uint sequence, IEnumerable<WireAttribute> attributes, NetlinkMessageType type = NetlinkMessageType.QueuePacket)
    {
        List<WireAttribute> list = [.. attributes];
        byte[] buffer = new byte[NfQueueMessages.HeaderSize + list.Sum(a => NfQueueMessages.AttributeSize(a.Value.Length))];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, NetlinkMessageFlags.None, sequence, queue);
        foreach (WireAttribute attribute in list)
        {
            writer.AddAttribute(attribute.Type, attribute.Value);
        }

        writer.EndMessage();
        return buffer[..writer.Length];
    }

    public static WireAttribute PacketHeader(uint id, ushort hardwareProtocol, byte hook)
    {
        byte[] value = new byte[7];
        BinaryPrimitives.WriteUInt32BigEndian(value, id);
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(4), hardwareProtocol);
        value[6] = hook;
        return new((ushort)NfQueueAttribute.PacketHeader, value);
    }

    public static WireAttribute UInt32(NfQueueAttribute type, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new((ushort)type, bytes);
    }

    public static WireAttribute Timestamp(ulong seconds, ulong microseconds)
    {
        byte[] value = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(value, seconds);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8), microseconds);
        return new((ushort)NfQueueAttribute.Timestamp, value);
    }

    public static WireAttribute HardwareAddress(ReadOnlySpan<byte> address)
    {
        byte[] value = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)address.Length);
        address[..Math.Min(8, address.Length)].CopyTo(value.AsSpan(4));
        return new((ushort)NfQueueAttribute.HardwareAddress, value);
    }

    public static WireAttribute Bytes(NfQueueAttribute type, byte[] value) => new((ushort)type, value);

    /// <summary>A packet message like the kernel's for a locally generated packet on OUTPUT.</summary>
    public static byte[] Typical(uint id, ushort queue, byte[] payload, bool full) =>
        Message(queue, 0, full
            ? [PacketHeader(id, 0x0800, 3), UInt32(NfQueueAttribute.Mark, 0x1234), Timestamp(1_700_000_000, 123_456),
               UInt32(NfQueueAttribute.InputInterface, 1), HardwareAddress([2, 0x42, 0xac, 0x11, 0, 2]),
               Bytes(NfQueueAttribute.Payload, payload), UInt32(NfQueueAttribute.CaptureLength, (uint)payload.Length + 100),
               UInt32(NfQueueAttribute.SkbInfo, 1), UInt32(NfQueueAttribute.Uid, 1000), UInt32(NfQueueAttribute.Gid, 1000),
               Bytes(NfQueueAttribute.SecurityContext, "system_u:object_r:unlabeled_t:s0\0"u8.ToArray()), UInt32(NfQueueAttribute.Priority, 6)]
            : [PacketHeader(id, 0x0800, 3), UInt32(NfQueueAttribute.OutputInterface, 1), Bytes(NfQueueAttribute.Payload, payload)]);

    /// <summary>An NLMSG_ERROR carrying <paramref name="errno"/> (0 is an ACK) for the request numbered <paramref name="sequence"/>.</summary>
    public static byte[] Error(int errno, uint sequence)
    {
        byte[] message = new byte[16 + 4 + 16];
        HostOrder.WriteUInt32HostOrder(message, (uint)message.Length);
        HostOrder.WriteUInt16HostOrder(message.AsSpan(4), (ushort)NetlinkMessageType.Error);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), -errno);
        HostOrder.WriteUInt32HostOrder(message.AsSpan(16 + 4 + 8), sequence);
        return message;
    }

    /// <summary>A datagram of one to three messages with random attributes (sizes mostly right, sometimes not).</summary>
    public static byte[] Random(Random random)
    {
        var datagram = new List<byte>();
        int messages = random.Next(1, 4);
        for (int m = 0; m < messages; m++)
        {
            byte[] message = random.Next(8) == 0
                ? Error(random.Next(0, 200), (uint)random.Next())
                : Message((ushort)random.Next(65536), (uint)random.Next(), RandomAttributes(random, depth: 0));
            datagram.AddRange(message);
            while (datagram.Count % 4 != 0)
            {
                datagram.Add(0);
            }
        }

        return [.. datagram];
    }

    private static List<WireAttribute> RandomAttributes(Random random, int depth)
    {
        var attributes = new List<WireAttribute>();
        if (depth == 0 && random.Next(8) != 0)
        {
            attributes.Add(PacketHeader((uint)random.Next(), (ushort)random.Next(65536), (byte)random.Next(6)));
        }

        int count = random.Next(0, 8);
        for (int i = 0; i < count; i++)
        {
            var type = (NfQueueAttribute)random.Next(0, 24);
            int size = type switch
            {
                NfQueueAttribute.PacketHeader => 7,
                NfQueueAttribute.Timestamp => 16,
                NfQueueAttribute.HardwareAddress => 12,
                NfQueueAttribute.Payload or NfQueueAttribute.SecurityContext => random.Next(0, 80),
                _ => 4,
            };
            if (random.Next(8) == 0)
            {
                size = Math.Max(0, size + random.Next(-4, 5));
            }

            byte[] value = new byte[size];
            random.NextBytes(value);
            if (type == NfQueueAttribute.Payload && random.Next(2) == 0)
            {
                value = PacketBuilder.Random(random);
            }

            ushort wireType = (ushort)type;
            if (depth < 2 && random.Next(10) == 0)
            {
                // A nested attribute (NLA_F_NESTED) holding attributes of its own.
                value = Message(0, 0, RandomAttributes(random, depth + 1))[NfQueueMessages.HeaderSize..];
                wireType |= 0x8000;
            }

            attributes.Add(new WireAttribute(wireType, value));
        }

        return attributes;
    }
}
