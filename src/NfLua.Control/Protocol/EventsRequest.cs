using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>
/// Asks for the daemon's latest events (alerts, rule failures, limit hits, control actions, queue overflows), as the
/// event log writes them. <c>nflua-ctl events --follow</c> asks again and again, each time after the last it got.
/// </summary>
/// <param name="After">Only events after this sequence number; null: the latest <paramref name="Max"/>.</param>
/// <param name="Rule">Only this rule's events.</param>
/// <param name="WaitMs">When there is none yet, wait up to this long for one (0 to 5000 ms).</param>
/// <param name="Max">At most this many events (1 to 4096; 100 when null).</param>
public sealed record EventsRequest(long? After = null, string? Rule = null, int WaitMs = 0, int? Max = null) : ControlCommand
{
    /// <summary>The longest a request may wait for an event.</summary>
    public const int MaxWaitMs = 5000;

    /// <inheritdoc/>
    [JsonIgnore]
    public override ControlOp Op => ControlOp.Events;
}

/// <summary>Events, oldest first.</summary>
/// <param name="Events">Each event, one JSON object as text (the event log's line).</param>
/// <param name="Next">Ask after this sequence number for the events that follow.</param>
/// <param name="Dropped">Events the daemon has dropped so far (rings full, too many waiting), rules gone included.</param>
public sealed record EventsResult(IReadOnlyList<string> Events, long Next, long Dropped = 0) : ControlResult;
