using System.Text;
using System.Text.Json;
using NfLua.Daemon.Queues;
using NfLua.Netlink;
using NfLua.Scripting.Messages;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// Posts a <c>queue_overflow</c> event when a bound queue's kernel counters go up (queue_dropped: the queue was full;
/// user_dropped: nfluad's receive buffer was), read from /proc/net/netfilter/nfnetlink_queue once a second (as stats
/// reads them). Where the file cannot be read there are no such events (status says why).
/// </summary>
internal sealed class QueueOverflowWatch(QueueWorkers workers, Events.EventLog events)
{
    private readonly Dictionary<uint, (uint QueueDropped, uint UserDropped)> _last = [];
    private byte[] _read = new byte[4096];
    private byte[] _previous = new byte[4096];
    private int _previousLength = -1;

    /// <summary>
    /// Reads the kernel's counters (once a second) into a buffer kept between reads and parses them only when they
    /// changed: a quiet daemon allocates nothing here (the benchmark's steady state counts every byte).
    /// </summary>
    public void Check()
    {
        int length;
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle(NfQueueProcReader.DefaultPath);
            while ((length = RandomAccess.Read(file, _read, 0)) == _read.Length)
            {
                _read = new byte[_read.Length * 2]; // more queues than the buffer held: read again, whole
                _previous = new byte[_read.Length];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return;
        }

        if (length == _previousLength && _read.AsSpan(0, length).SequenceEqual(_previous.AsSpan(0, length)))
        {
            return;
        }

        (_read, _previous, _previousLength) = (_previous, _read, length);
        // Under traffic the id_sequence column changes every second: this parse runs then, so it allocates nothing.
        ReadOnlySpan<byte> text = _previous.AsSpan(0, length);
        Span<uint> values = stackalloc uint[NfQueueProcReader.ColumnCount - 1];
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (NfQueueProcReader.TryParseLine(line, values))
            {
                Observe(new Counters(values[0], values[2], values[5], values[6]));
            }
        }
    }

    internal void Check(IReadOnlyList<NfQueueKernelCounters> counters)
    {
        foreach (NfQueueKernelCounters queue in counters)
        {
            Observe(new Counters(queue.QueueNumber, queue.Waiting, queue.QueueDropped, queue.UserDropped));
        }
    }

    private void Observe(Counters queue)
    {
        if (!workers.Runs(queue.Queue))
        {
            return;
        }

        if (_last.TryGetValue(queue.Queue, out var last))
        {
            // u32 counters that restart with the queue instance: a decrease is a restart, not an overflow.
            uint queueDropped = queue.QueueDropped >= last.QueueDropped ? queue.QueueDropped - last.QueueDropped : 0;
            uint userDropped = queue.UserDropped >= last.UserDropped ? queue.UserDropped - last.UserDropped : 0;
            if (queueDropped > 0 || userDropped > 0)
            {
                events.Post(null, Json(queue, queueDropped, userDropped));
            }
        }

        _last[queue.Queue] = (queue.QueueDropped, queue.UserDropped);
    }

    private readonly record struct Counters(uint Queue, uint Waiting, uint QueueDropped, uint UserDropped);

    private static string Json(Counters queue, uint queueDropped, uint userDropped)
    {
        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream, RuleMessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", RuleMessageJson.Time(DateTime.UtcNow.Ticks));
            writer.WriteString("type", "queue_overflow");
            writer.WriteNumber("queue", queue.Queue);
            writer.WriteNumber("queue_dropped", queueDropped);
            writer.WriteNumber("user_dropped", userDropped);
            writer.WriteNumber("queue_dropped_total", queue.QueueDropped);
            writer.WriteNumber("user_dropped_total", queue.UserDropped);
            writer.WriteNumber("waiting", queue.Waiting);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
