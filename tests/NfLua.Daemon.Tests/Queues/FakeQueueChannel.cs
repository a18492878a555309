using System.Collections.Concurrent;
using NfLua.Daemon.Queues;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Queues;

/// <summary>An in-memory queue: packets pushed by the test, verdicts recorded per packet id.</summary>
internal sealed class FakeQueueChannel(ushort queue) : IQueueChannel
{
    private readonly BlockingCollection<(uint Id, byte[] Payload)> _pending = new();
    private readonly List<(uint Id, byte[] Payload)> _batch = [];
    private readonly List<(uint Id, PacketDecision Decision)> _unsent = [];
    private uint _nextId;

    public ConcurrentDictionary<uint, PacketDecision> Verdicts { get; } = new();

    public int DuplicateVerdicts;

    public int Pushed => (int)_nextId;

    /// <summary>Throws from Payload for this packet id (a fault inside the worker's batch).</summary>
    public uint? FaultyId { get; set; }

    public ushort Queue => queue;

    public uint Push(byte[] payload)
    {
        uint id = Interlocked.Increment(ref _nextId);
        _pending.Add((id, payload));
        return id;
    }

    public int Receive(TimeSpan timeout)
    {
        _batch.Clear();
        if (!_pending.TryTake(out var first, timeout))
        {
            return 0;
        }

        _batch.Add(first);
        while (_batch.Count < 64 && _pending.TryTake(out var next))
        {
            _batch.Add(next);
        }

        return _batch.Count;
    }

    public Span<byte> Payload(int index) =>
        _batch[index].Id == FaultyId ? throw new InvalidOperationException("injected fault") : _batch[index].Payload;

    public void SetVerdict(int index, in PacketDecision decision) => _unsent.Add((_batch[index].Id, decision));

    public void Flush()
    {
        foreach (var (id, decision) in _unsent)
        {
            if (!Verdicts.TryAdd(id, decision))
            {
                Interlocked.Increment(ref DuplicateVerdicts);
            }
        }

        _unsent.Clear();
    }

    public void Dispose() => _pending.Dispose();
}
