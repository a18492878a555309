using System.Buffers.Binary;
using System.Diagnostics;
using NfLua.Netlink;
using NfLua.Netlink.Wire;

namespace NfLua.Bench;

/// <summary>
/// The netlink side of the hot path, without a kernel: parsing one packet message as the kernel sends it, and
/// encoding a batch's verdicts into the datagram the worker sends. Costs are per packet.
/// </summary>
internal abstract class NetlinkBenchmark(string name)
{
    public static IEnumerable<NetlinkBenchmark> All =>
    [
        new ParseBenchmark(),
        new VerdictBenchmark("write 64 verdicts, all accept (1 VERDICT_BATCH)", alternate: false),
        new VerdictBenchmark("write 64 verdicts, accept/drop alternating", alternate: true),
    ];

    public string Name { get; } = name;

    /// <summary>Packets one <see cref="Once"/> handles.</summary>
    protected virtual int PacketsPerOperation => 1;

    public BenchmarkResult Run(int packets)
    {
        int operations = Math.Max(1, packets / PacketsPerOperation);
        WarmUp.Run(Once, Math.Min(operations, 200_000));

        var runs = new List<BenchmarkResult>();
        for (int run = 0; run < 5; run++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < operations; i++)
            {
                Once();
            }

            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            long handled = (long)operations * PacketsPerOperation;
            runs.Add(new BenchmarkResult(seconds * 1e9 / handled, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / handled));
        }

        return runs.OrderBy(r => r.NanosecondsPerCall).ElementAt(runs.Count / 2);
    }

    protected abstract void Once();

    /// <summary>
    /// A PACKET message as the kernel queues a 64-byte UDP datagram sent on loopback (LOCAL_OUT): packet header,
    /// output interface, then the 92-byte IPv4 packet, unpadded.
    /// </summary>
    internal static byte[] CapturedUdpMessage()
    {
        var message = new byte[20 + 12 + 8 + 4 + 92];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 0x0300);
        span[16] = 2; // AF_INET, version 0, queue 0
        WriteAttribute(span[20..], 1, 7);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], 42); // id
        BinaryPrimitives.WriteUInt16BigEndian(span[28..], 0x0800);
        span[30] = 3; // NF_INET_LOCAL_OUT
        WriteAttribute(span[32..], 6, 4);
        BinaryPrimitives.WriteUInt32BigEndian(span[36..], 1); // lo
        WriteAttribute(span[40..], 10, 92);
        Span<byte> ip = span[44..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 92);
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 127; ip[15] = 1; ip[16] = 127; ip[19] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(ip[20..], 40000);
        BinaryPrimitives.WriteUInt16BigEndian(ip[22..], 19999);
        BinaryPrimitives.WriteUInt16BigEndian(ip[24..], 72);
        return message;
    }

    private static void WriteAttribute(Span<byte> at, ushort type, int payloadLength)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)(4 + payloadLength));
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
    }

    private sealed class ParseBenchmark() : NetlinkBenchmark("parse a packet message (64-byte UDP)")
    {
        private readonly byte[] _message = CapturedUdpMessage();

        protected override void Once()
        {
            if (!NfQueuePacketParser.TryParse(_message, out PacketLayout layout) || layout.PayloadLength != 92)
            {
                throw new InvalidOperationException("the captured message did not parse");
            }
        }
    }

    private sealed class VerdictBenchmark(string name, bool alternate) : NetlinkBenchmark(name)
    {
        private const int Batch = 64;
        private readonly VerdictWriter _writer = new(queue: 0, useBatch: true, capacity: Batch);
        private uint _sequence = 1;
        private uint _nextId = 1;

        protected override int PacketsPerOperation => Batch;

        protected override void Once()
        {
            for (int i = 0; i < Batch; i++)
            {
                _writer.Add(_nextId++, alternate && (i & 1) == 1 ? NfVerdict.Drop : NfVerdict.Accept, mark: null);
            }

            if (_writer.Encode(ref _sequence, out int messages).IsEmpty || messages != (alternate ? Batch : 1))
            {
                throw new InvalidOperationException("unexpected verdict datagram");
            }

            _writer.Sent(messages); // as after a send that succeeded: the verdicts leave the writer

        }
    }
}
