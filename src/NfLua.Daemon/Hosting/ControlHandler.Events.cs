using System.Text;
using System.Text.Json;
using NfLua.Control;
using NfLua.Scripting.Messages;

namespace NfLua.Daemon.Hosting;

/// <content>nflua-ctl events, and the control actions as events (the audit trail in the event log).</content>
internal sealed partial class ControlHandler
{
    private const int DefaultEventCount = 100;

    private async Task<ControlResponse> EventsAsync(int id, EventsRequest request, CancellationToken cancellationToken)
    {
        if (request.WaitMs is < 0 or > EventsRequest.MaxWaitMs)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, $"waitMs must be from 0 to {EventsRequest.MaxWaitMs}");
        }

        if (request.Max is < 1 or > Events.EventLog.RecentCapacity)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, $"max must be from 1 to {Events.EventLog.RecentCapacity}");
        }

        int max = request.Max ?? DefaultEventCount;
        if (request.After is not { } after)
        {
            // The latest events: everything kept, then the last max of them.
            (List<string> all, long latest) = events.After(0, request.Rule, int.MaxValue);
            return ControlResponse.Success(id, new EventsResult(all.Count > max ? all[^max..] : all, latest, Dropped()));
        }

        long deadline = Environment.TickCount64 + request.WaitMs;
        while (true)
        {
            (List<string> found, long next) = events.After(after, request.Rule, max);
            long left = deadline - Environment.TickCount64;
            if (found.Count > 0 || left <= 0)
            {
                return ControlResponse.Success(id, new EventsResult(found, next, Dropped()));
            }

            // Events of other rules move the position on without answering: wait for the next one from there.
            after = next;
            await events.WaitAsync(after, TimeSpan.FromMilliseconds(left), cancellationToken).ConfigureAwait(false);
        }
    }

    private long Dropped()
    {
        long dropped = events.PostedDropped + events.Hub.DroppedByGoneRules;
        foreach (var queue in rules.Queues.Values)
        {
            foreach (Scripting.LuaRule rule in queue.Published.Rules)
            {
                dropped += rule.Messages.Counters.Dropped;
            }
        }

        return dropped;
    }

    /// <summary>A change request as a <c>control</c> event: who (uid, pid), what, which rule and queues, the script's SHA-256, how it ended.</summary>
    private void PostControlEvent(ControlRequest request, ControlResponse response)
    {
        (string action, string? rule, IReadOnlyList<int>? queues, string? sha256) = request.Command switch
        {
            LoadRequest load => ("load", load.Name, (IReadOnlyList<int>?)[load.Queue], Sha256(load.Script)),
            UnloadRequest unload => ("unload", unload.Name, (response.Result as UnloadResult)?.Queues, null),
            ReloadRequest => ("reload", null, null, null),
            ModeRequest mode => (mode.Monitor ? "monitor" : "enforce", mode.Name, (response.Result as ModeResult)?.Queues, null),
            SetAddRequest add => ("set-add", null, null, null),
            SetDelRequest del => ("set-del", null, null, null),
            SetLoadRequest load => ("set-load", null, null, load.Text is { } text ? Sha256(text) : null),
            _ => ("", null, null, null),
        };
        if (action.Length == 0)
        {
            return;
        }

        if (request.Command is LoadRequest && response.Result is LoadResult { Replaced: true })
        {
            action = "replace";
        }

        if (request.Command is LoadRequest && response.Result is LoadResult { MovedFrom: { Count: > 0 } })
        {
            action = "move";
        }

        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream, RuleMessageJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", RuleMessageJson.Time(DateTime.UtcNow.Ticks));
            writer.WriteString("type", "control");
            writer.WriteString("action", action);
            if (rule is not null)
            {
                writer.WriteString("rule", rule);
            }

            if (queues is not null)
            {
                writer.WriteStartArray("queues");
                foreach (int queue in queues)
                {
                    writer.WriteNumberValue(queue);
                }

                writer.WriteEndArray();
            }

            string? set = request.Command switch
            {
                SetAddRequest add => add.Name,
                SetDelRequest del => del.Name,
                SetLoadRequest load => load.Name,
                _ => null,
            };
            if (set is not null)
            {
                writer.WriteString("set", set);
            }

            if (request.Command is LoadRequest { Monitor: true })
            {
                writer.WriteString("mode", "monitor");
            }

            if (sha256 is not null)
            {
                writer.WriteString("sha256", sha256);
            }

            if (request.Peer is { } peer)
            {
                writer.WriteNumber("uid", peer.UserId);
                if (peer.ProcessId > 0)
                {
                    writer.WriteNumber("pid", peer.ProcessId);
                }
            }

            writer.WriteString("result", response.IsOk ? "done" : "refused");
            if (response.Error is { } error)
            {
                writer.WriteString("error", error.Message);
            }

            writer.WriteEndObject();
        }

        events.Post(rule, Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
    }
}
