using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

/// <summary>Whatever bytes arrive, the readers return a result and never throw.</summary>
public sealed class ParserPropertyTests
{
    private const int Iterations = 100_000;

    private static readonly byte[] s_valid = Bytes.PacketMessage(
        Bytes.PacketHeader(77),
        Bytes.Hex("08 00 03 00 | 00 00 12 34"),
        Bytes.Hex("10 00 09 00 | 00 06 00 00 | 02 42 ac 11 00 02 00 00"),
        Bytes.Hex("14 00 04 00 | 00 00 00 00 65 53 f1 00 | 00 00 00 00 00 03 d0 90"),
        Bytes.Hex("08 00 10 00 | 00 00 03 e8"),
        Bytes.Hex("07 00 12 00 | 73 3a 30 00"),
        Bytes.Hex("0d 00 0a 00 | 45 00 00 1d 00 00 40 00 40"));

    [Fact]
    public void RandomBytes_AreFramedAsLibmnlDoes_AndEveryFieldLiesInsideItsMessage()
    {
        // Against a model of libmnl's framing written here from its rules (mnl_nlmsg_ok, MNL_ALIGN): the same messages at
        // the same offsets, and the same end (used up, or malformed). Exercise checks each parsed field's bytes.
        var random = new Random(20261126);
        int messages = 0, malformed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            if (random.Next(2) == 0 && data.Length >= 4)
            {
                // Make the length plausible so the readers get past the first check more often.
                BitConverter.TryWriteBytes(data, random.Next(0, data.Length + 8));
            }

            (List<(int Offset, int Length)> expected, bool expectMalformed) = LibmnlFraming(data);
            var reader = new NetlinkMessageReader(data);
            var read = new List<(int, int)>();
            NetlinkReadStatus status;
            while ((status = reader.Read(out NetlinkMessage message, out int offset)) == NetlinkReadStatus.Item)
            {
                read.Add((offset, message.Bytes.Length));
            }

            Assert.Equal(expected, read);
            Assert.Equal(expectMalformed ? NetlinkReadStatus.Malformed : NetlinkReadStatus.End, status);
            messages += read.Count;
            malformed += expectMalformed ? 1 : 0;
            Exercise(data);
        }

        // Both paths were really taken: messages read, and inputs refused part way.
        Assert.InRange(messages, Iterations / 10, int.MaxValue);
        Assert.InRange(malformed, Iterations / 10, Iterations - 1);
    }

    [Fact]
    public void MutationsOfAValidMessage_NeverThrow_AndSomeStillParse()
    {
        var random = new Random(4242);
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] data = Mutate(random, s_valid);
            parsed += Exercise(data);
        }

        Assert.InRange(parsed, 1, Iterations - 1);
    }

    [Fact]
    public void TheValidMessage_Parses()
    {
        Assert.Equal(1, Exercise(s_valid));
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] data = (byte[])original.Clone();
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(4))
            {
                case 0:
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    data = data[..random.Next(data.Length + 1)];
                    break;
                case 2:
                    data = [.. data, .. new byte[random.Next(1, 9)]];
                    break;
                default:
                    if (data.Length > 0)
                    {
                        data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
            }

            if (data.Length == 0)
            {
                break;
            }
        }

        return data;
    }

    /// <summary>libmnl's walk: a message needs a whole header, a length of at least a header and at most what is left; the next starts 4-aligned.</summary>
    private static (List<(int Offset, int Length)> Messages, bool Malformed) LibmnlFraming(byte[] data)
    {
        var messages = new List<(int, int)>();
        int offset = 0;
        while (offset < data.Length)
        {
            int left = data.Length - offset;
            long length = left >= 16 ? BitConverter.ToUInt32(data, offset) : -1;
            if (length < 16 || length > left)
            {
                return (messages, true);
            }

            messages.Add((offset, (int)length));
            offset += (int)((length + 3) & ~3L);
        }

        return (messages, false);
    }

    /// <summary>Runs every reader over <paramref name="datagram"/>; returns how many packets parsed.</summary>
    private static int Exercise(byte[] datagram)
    {
        int packets = 0;
        var reader = new NetlinkMessageReader(datagram);
        while (reader.Read(out NetlinkMessage message, out int offset) == NetlinkReadStatus.Item)
        {
            Assert.InRange(offset, 0, datagram.Length - NetlinkConstants.MessageHeaderSize);
            _ = NetlinkErrorMessage.TryParse(message, out _, out _);
            if (NfQueuePacketParser.TryParse(message.Bytes, out PacketLayout layout))
            {
                packets++;
                var packet = new NfQueuePacket(message.Bytes, ref layout);
                Touch(packet);
                AssertInside(message.Bytes, packet.Payload, "payload");
                AssertInside(message.Bytes, packet.HardwareAddress, "hardware address");
                AssertInside(message.Bytes, packet.SecurityContext, "security context");
            }
        }

        // The parser alone, on the raw bytes, whatever nlmsg_len says.
        if (NfQueuePacketParser.TryParse(datagram, out PacketLayout raw))
        {
            Touch(new NfQueuePacket(datagram, ref raw));
        }

        return packets;
    }

    private static void AssertInside(ReadOnlySpan<byte> message, ReadOnlySpan<byte> field, string what)
    {
        if (field.IsEmpty)
        {
            return;
        }

        Assert.True(message.Overlaps(field, out int start) && start >= 0 && start + field.Length <= message.Length, $"the {what} lies outside its message");
    }

    private static void Touch(NfQueuePacket packet)
    {
        _ = packet.Id + packet.HardwareProtocol + (uint)packet.Hook + packet.QueueNumber;
        _ = packet.Mark ?? packet.InputInterface ?? packet.OutputInterface ?? packet.PhysicalInputInterface ?? packet.PhysicalOutputInterface;
        _ = packet.Uid ?? packet.Gid ?? packet.CaptureLength ?? packet.Priority ?? (uint)packet.SkbInfo;
        _ = packet.Timestamp;
        _ = packet.HardwareAddress.Length + packet.SecurityContext.Length + packet.Payload.Length;
    }
}
