using System.Buffers.Binary;
using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

/// <summary>
/// What the kernel does with verdict datagrams, as a model: a VERDICT answers its own id if it is still queued; a
/// VERDICT_BATCH answers every still queued id up to its own. Any message that answers nothing is recorded, as the
/// kernel's ENOENT would be.
/// </summary>
internal sealed class KernelVerdictModel(IEnumerable<uint> queued)
{
    private readonly SortedSet<uint> _queued = [.. queued];

    /// <summary>The verdict each id got, in the order the kernel applied them.</summary>
    public Dictionary<uint, uint> Verdicts { get; } = [];

    /// <summary>Messages that matched no queued id (the kernel answers ENOENT).</summary>
    public int Unmatched { get; private set; }

    public IReadOnlyCollection<uint> StillQueued => _queued;

    public void Apply(byte[] datagram)
    {
        var messages = new NetlinkMessageReader(datagram);
        while (messages.Read(out NetlinkMessage message, out _) == NetlinkReadStatus.Item)
        {
            Assert.True(message.Type is NetlinkMessageType.QueueVerdict or NetlinkMessageType.QueueVerdictBatch, $"not a verdict: {message.Type}");
            var attributes = new NetlinkAttributeReader(message.Payload[4..]);
            uint verdict = 0, id = 0;
            while (attributes.Read(out ushort type, out ReadOnlySpan<byte> payload, out _) == NetlinkReadStatus.Item)
            {
                if ((type & 0x3FFF) == (ushort)NfQueueAttribute.VerdictHeader)
                {
                    verdict = BinaryPrimitives.ReadUInt32BigEndian(payload);
                    id = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
                }
            }

            List<uint> answered = message.Type == NetlinkMessageType.QueueVerdictBatch
                ? [.. _queued.Where(q => q <= id)]
                : _queued.Contains(id) ? [id] : [];
            Unmatched += answered.Count == 0 ? 1 : 0;
            foreach (uint q in answered)
            {
                _queued.Remove(q);
                Verdicts[q] = verdict;
            }
        }
    }
}
