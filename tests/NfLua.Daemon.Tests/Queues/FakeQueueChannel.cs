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
    private int _received;
    private volatile bool _disposed;
    private volatile bool _atGate;

    public ConcurrentDictionary<uint, PacketDecision> Verdicts { get; } = new();

    public int DuplicateVerdicts;

    public int Pushed => (int)_nextId;

    /// <summary>Packets pushed and not yet taken by the worker (what the kernel still holds).</summary>
    public int NotYetReceived => _pending.Count;

    /// <summary>Packets the worker took (each must get exactly one verdict).</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Whether the channel was closed (the queue unbound).</summary>
    public bool Disposed => _disposed;

    /// <summary>Throws from Payload for this packet id (a fault inside the worker's batch).</summary>
    public uint? FaultyId { get; set; }

    /// <summary>While reset, Receive blocks until it is set (30 s at most) before it takes anything: the test holds the worker in one receive.</summary>
    public ManualResetEventSlim ReceiveGate { get; } = new(initialState: true);

    public ushort Queue => queue;

    public int UnsentVerdicts => _unsent.Count;

    /// <summary>The metadata every packet of this channel shows its rules.</summary>
    public Scripting.PacketMeta Meta { get; set; } = Scripting.PacketMeta.None;

    void IQueueChannel.Meta(int index, out Scripting.PacketMeta meta) => meta = Meta;

    public uint Push(byte[] payload)
    {
        uint id = Interlocked.Increment(ref _nextId);
        _pending.Add((id, payload));
        return id;
    }

    /// <summary>Whether the worker is blocked at <see cref="ReceiveGate"/> now.</summary>
    public bool AtGate => _atGate;

    public int Receive(TimeSpan timeout)
    {
        _batch.Clear();
        _atGate = !ReceiveGate.IsSet;
        bool open = ReceiveGate.Wait(TimeSpan.FromSeconds(30));
        _atGate = false;
        if (!open || !_pending.TryTake(out var first, timeout))
        {
            return 0;
        }

        _batch.Add(first);
        while (_batch.Count < 64 && _pending.TryTake(out var next))
        {
            _batch.Add(next);
        }

        Interlocked.Add(ref _received, _batch.Count);
        return _batch.Count;
    }

    public Span<byte> Payload(int index) =>
        _batch[index].Id == FaultyId ? throw new InvalidOperationException("injected fault") : _batch[index].Payload;

    public void SetVerdict(int index, in PacketDecision decision) => _unsent.Add((_batch[index].Id, decision));

    public bool Flush()
    {
        foreach (var (id, decision) in _unsent)
        {
            if (!Verdicts.TryAdd(id, decision))
            {
                Interlocked.Increment(ref DuplicateVerdicts);
            }
        }

        _unsent.Clear();
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        _pending.Dispose();
        ReceiveGate.Dispose();
    }
}
