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

    public void Check() => Check(NfQueueProcReader.Read());

    internal void Check(IReadOnlyList<NfQueueKernelCounters> counters)
    {
        var bound = workers.All.Select(w => (uint)w.Queue).ToHashSet();
        foreach (NfQueueKernelCounters queue in counters)
        {
            if (!bound.Contains(queue.QueueNumber))
            {
                continue;
            }

            if (_last.TryGetValue(queue.QueueNumber, out var last))
            {
                // u32 counters that restart with the queue instance: a decrease is a restart, not an overflow.
                uint queueDropped = queue.QueueDropped >= last.QueueDropped ? queue.QueueDropped - last.QueueDropped : 0;
                uint userDropped = queue.UserDropped >= last.UserDropped ? queue.UserDropped - last.UserDropped : 0;
                if (queueDropped > 0 || userDropped > 0)
                {
                    events.Post(null, Json(queue, queueDropped, userDropped));
                }
            }

            _last[queue.QueueNumber] = (queue.QueueDropped, queue.UserDropped);
        }
    }

    private static string Json(NfQueueKernelCounters queue, uint queueDropped, uint userDropped)
    {
        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream, RuleMessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", RuleMessageJson.Time(DateTime.UtcNow.Ticks));
            writer.WriteString("type", "queue_overflow");
            writer.WriteNumber("queue", queue.QueueNumber);
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
