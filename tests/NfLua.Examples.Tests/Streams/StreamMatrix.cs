using NfLua.Engine;
using NfLua.Testing;

namespace NfLua.Examples.Tests.Streams;

/// <summary>One segment the sender of the judged message sends: its bytes at a stream offset.</summary>
internal readonly record struct Send(long Offset, byte[] Bytes);

/// <summary>
/// The evasion matrix of issue 17 for an example that judges the first message of one side of a TCP connection (the
/// client's ClientHello or request head, the server's banner): the message cut at every byte, in 3 to 10 tiny segments,
/// out of order, overlapping, rewritten by a retransmission, on a SYN, seen midstream; IPv4 and IPv6. Each
/// conversation is played through the rule as a queue runs it, with the receiver acknowledging what it can deliver,
/// and the receiver's view is modelled: bytes it got (the first copy kept) and what it can deliver in order.
/// </summary>
internal sealed class StreamMatrix(ushort serverPort, bool serverSends)
{
    /// <summary>What one conversation did.</summary>
    internal sealed record Outcome(List<(string Packet, DecisionKind Verdict)> Verdicts, byte[] Delivered, DecisionKind Later, DecisionKind Retransmission, bool LaterCalledTheRule)
    {
        public bool AllAccepted => Verdicts.All(v => v.Verdict == DecisionKind.Accept);

        public override string ToString() => string.Join(", ", Verdicts.Select(v => $"{v.Packet}:{v.Verdict}")) + $"; later {Later}, retransmission {Retransmission}, delivered {Delivered.Length}";
    }

    /// <summary>The ways to send a message, each a name and its segments.</summary>
    public static IEnumerable<(string Name, Send[] Sends)> Segmentations(byte[] message, bool everyByte = true)
    {
        yield return ("whole", [new Send(0, message)]);
        for (int cut = 1; cut < message.Length && everyByte; cut++)
        {
            yield return ($"cut at {cut}", [new Send(0, message[..cut]), new Send(cut, message[cut..])]);
        }

        for (int pieces = 3; pieces <= 10; pieces++)
        {
            yield return ($"{pieces} pieces", Pieces(message, pieces));
        }

        foreach (int size in new[] { 1, 2, 3, 7 })
        {
            yield return ($"{size}-byte segments", [.. Enumerable.Range(0, (message.Length + size - 1) / size).Select(i => new Send(i * size, message[(i * size)..Math.Min(message.Length, (i + 1) * size)]))]);
        }

        foreach (int cut in Cuts(message.Length))
        {
            yield return ($"second part first, cut at {cut}", [new Send(cut, message[cut..]), new Send(0, message[..cut])]);
            yield return ($"overlapping, first to {Math.Min(message.Length, cut + 9)}, second from {cut}", [new Send(0, message[..Math.Min(message.Length, cut + 9)]), new Send(cut, message[cut..])]);
        }

        Send[] reversed = Pieces(message, 5);
        Array.Reverse(reversed);
        yield return ("5 pieces in reverse order", reversed);
        yield return ("each piece sent twice", [.. Pieces(message, 4).SelectMany(s => new[] { s, s })]);
    }

    /// <summary>Cut points spread over the message: near both ends and through the middle.</summary>
    public static IEnumerable<int> Cuts(int length) =>
        new[] { 1, 2, 5, 9, length / 4, length / 3, length / 2, 2 * length / 3, length - 9, length - 2, length - 1 }.Where(c => c > 0 && c < length).Distinct();

    public static Send[] Pieces(byte[] message, int count)
    {
        var sends = new Send[count];
        for (int i = 0; i < count; i++)
        {
            int from = message.Length * i / count, to = message.Length * (i + 1) / count;
            sends[i] = new Send(from, message[from..to]);
        }

        return sends;
    }

    /// <summary>Plays one conversation: the handshake (unless <paramref name="midstream"/>), the sends, the receiver's acknowledgements, then a later segment and a retransmission of the last send.</summary>
    public Outcome Play(ExampleQueue queue, bool ipv6, IReadOnlyList<Send> sends, byte[]? synData = null, bool midstream = false, bool acknowledge = true)
    {
        TcpConversation tcp = queue.Conversation(ipv6, serverPort);
        var verdicts = new List<(string, DecisionKind)>();
        if (synData is not null)
        {
            verdicts.Add(("SYN with data", queue.Judge(tcp.ClientSyn(synData))));
        }

        if (!midstream)
        {
            verdicts.Add(("SYN", queue.Judge(tcp.ClientSyn())));
            verdicts.Add(("SYN/ACK", queue.Judge(tcp.ServerSynAck())));
            verdicts.Add(("ACK", queue.Judge(tcp.ClientAck())));
        }

        var receiver = new Receiver();
        foreach (Send send in sends)
        {
            DecisionKind verdict = queue.Judge(Data(tcp, send.Offset, send.Bytes));
            verdicts.Add(($"[{send.Offset}..{send.Offset + send.Bytes.Length})", verdict));
            if (verdict == DecisionKind.Accept)
            {
                long before = receiver.Delivered.Length;
                receiver.Take(send.Offset, send.Bytes);
                if (acknowledge && receiver.Delivered.Length > before)
                {
                    verdicts.Add(($"ACK of {receiver.Delivered.Length}", queue.Judge(AckOf(tcp, receiver.Delivered.Length))));
                }
            }
        }

        long end = sends.Count == 0 ? 0 : sends.Max(s => s.Offset + s.Bytes.Length);
        long calls = queue.Calls;
        DecisionKind later = queue.Judge(Data(tcp, end, "later"u8.ToArray()));
        bool called = queue.Calls != calls;
        Send last = sends[^1];
        DecisionKind retransmission = queue.Judge(Data(tcp, last.Offset, last.Bytes));
        return new Outcome(verdicts, receiver.Delivered, later, retransmission, called);
    }

    private byte[] Data(TcpConversation tcp, long offset, byte[] bytes) =>
        serverSends ? tcp.ServerData(offset, bytes) : tcp.ClientData(offset, bytes);

    private byte[] AckOf(TcpConversation tcp, long offset) =>
        serverSends ? tcp.ClientAckOf(offset) : tcp.ServerAckOf(offset);

    /// <summary>
    /// Checks a message the rule must stop: the receiver never holds it whole, and the flow is dropped for good (a later
    /// segment and the sender's retransmission are dropped).
    /// </summary>
    public static void Stopped(string what, byte[] message, Outcome outcome)
    {
        Assert.True(!StartsWith(outcome.Delivered, message), $"{what}: the receiver got the whole message ({outcome})");
        Assert.True(outcome.Verdicts.Any(v => v.Verdict == DecisionKind.Drop), $"{what}: nothing dropped ({outcome})");
        Assert.True(outcome.Later == DecisionKind.Drop && outcome.Retransmission == DecisionKind.Drop, $"{what}: the flow was not dropped for good ({outcome})");
    }

    /// <summary>Checks a message the rule must let through: every packet accepted, the receiver holds the message.</summary>
    public static void Passed(string what, byte[] message, Outcome outcome)
    {
        Assert.True(outcome.AllAccepted && outcome.Later == DecisionKind.Accept && outcome.Retransmission == DecisionKind.Accept, $"{what}: a packet was dropped ({outcome})");
        Assert.True(StartsWith(outcome.Delivered, message), $"{what}: the receiver did not get the message ({outcome})");
    }

    private static bool StartsWith(byte[] bytes, byte[] prefix) => bytes.Length >= prefix.Length && bytes.AsSpan(0, prefix.Length).SequenceEqual(prefix);

    /// <summary>A receiving TCP stack: keeps the first copy of each byte (out of order too) and delivers what is contiguous from 0.</summary>
    private sealed class Receiver
    {
        private readonly Dictionary<long, byte> _held = [];
        private readonly List<byte> _delivered = [];

        public byte[] Delivered => [.. _delivered];

        public void Take(long offset, byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                _held.TryAdd(offset + i, bytes[i]);
            }

            while (_held.TryGetValue(_delivered.Count, out byte next))
            {
                _delivered.Add(next);
            }
        }
    }
}
