using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NfLua.Control;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// Answers control requests (nflua-ctl). Called from several connections at once: every change goes through
/// <see cref="RuleChanges"/>, which applies one change at a time. Requests that arrive while nfluad is starting wait
/// until it is ready.
/// </summary>
internal sealed partial class ControlHandler(
    NfluadService service,
    DaemonConfiguration configuration,
    RuleRegistry rules,
    QueueWorkers workers,
    RuleChanges changes,
    NamedSets sets,
    WorkerWatch watch,
    Events.EventLog events,
    ILogger audit)
{
    private static readonly string s_version = typeof(ControlHandler).Assembly.GetName().Version?.ToString(3) ?? "0";

    public async ValueTask<ControlResponse> HandleAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await service.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (request.Command is EventsRequest eventsRequest)
        {
            return await EventsAsync(request.Id, eventsRequest, cancellationToken).ConfigureAwait(false);
        }

        ControlResponse response = Answer(request);
        Audit(request, response);
        return response;
    }

    private ControlResponse Answer(ControlRequest request)
    {
        return request.Command switch
        {
            LoadRequest load => Load(request.Id, load),
            UnloadRequest unload => Unload(request.Id, unload),
            ListRequest list => ControlResponse.Success(request.Id, new ListResult(RuleInfos(list.Queue))),
            StatsRequest stats => ControlResponse.Success(request.Id, Stats(stats.Queue)),
            StatusRequest => ControlResponse.Success(request.Id, Status()),
            ReloadRequest => Reload(request.Id),
            SetListRequest => ControlResponse.Success(request.Id, new SetListResult(sets.List())),
            SetShowRequest show => Respond(request.Id, show.Limit is < 0 ? BadLimit() : sets.Show(show.Name, show.Limit)),
            SetAddRequest add => Respond(request.Id, add.Values is { Count: > 0 } ? sets.Add(add.Name, add.Values) : NoValues("add")),
            SetDelRequest del => Respond(request.Id, del.Values is { Count: > 0 } ? sets.Del(del.Name, del.Values) : NoValues("del")),
            SetLoadRequest load => Respond(request.Id, sets.Load(load.Name, load.Text, load.Path)),
            ModeRequest mode => SetMode(request.Id, mode),
            _ => ControlResponse.Failure(request.Id, ControlErrorName.Unsupported, "unknown request"),
        };
    }

    private ControlResponse Load(int id, LoadRequest load)
    {
        if (load.Queue is < 0 or > ushort.MaxValue)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, $"queue {load.Queue} is not a queue number (0-65535)");
        }

        if (!RuleNames.IsValid(load.Name))
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, RuleNames.Rule);
        }

        RuleLimits defaults = configuration.Current.DefaultLimits;
        RuleLimits limits = defaults with
        {
            MaxInstructions = load.MaxInstructions ?? defaults.MaxInstructions,
            MaxMemoryBytes = load.MaxMemory ?? defaults.MaxMemoryBytes,
            OnError = load.OnError is { } onError ? RuleFailureVerdicts.ToErrorVerdict(onError) : defaults.OnError,
            MaxCompileInstructions = load.CompileInstructions ?? defaults.MaxCompileInstructions,
            MaxCompileTime = load.CompileTimeMs is { } ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, -1, int.MaxValue)) : defaults.MaxCompileTime,
        };
        if (limits.Validate() is { Count: > 0 } problems)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, string.Join("; ", problems));
        }

        RuleParams? parameters = null;
        if (load.Params is { } json)
        {
            if (ParamsJson.FromJson(json, out string? jsonError) is not { } values || !RuleParams.TryCreate(values, out parameters, out jsonError))
            {
                return ControlResponse.Failure(id, ControlErrorName.BadRequest, $"rule '{load.Name}' not loaded: {jsonError}");
            }
        }

        var queue = (ushort)load.Queue;
        string scriptName = string.IsNullOrEmpty(load.ScriptPath) ? load.Name + ".lua" : load.ScriptPath;
        var definition = new RuleDefinition(load.Name, [queue], Encoding.UTF8.GetBytes(load.Script), scriptName, limits, RuleOrigin.Control, Persist: !load.NoPersist, Params: parameters, Monitor: load.Monitor);
        LoadOutcome outcome = changes.Load(definition);
        if (outcome.CompileErrors.Count > 0)
        {
            Match where = FileAndLine().Match(outcome.CompileErrors[0]);
            return ControlResponse.Failure(id, new ControlError(
                ControlErrorName.CompileError,
                string.Join(Environment.NewLine, outcome.CompileErrors),
                where.Success ? where.Groups["file"].Value : scriptName,
                where.Success ? int.Parse(where.Groups["line"].Value, CultureInfo.InvariantCulture) : null));
        }

        if (outcome.Change is not { } change)
        {
            return ControlResponse.Failure(id, ControlErrorName.Unavailable, $"rule '{load.Name}' not loaded: {outcome.Refusal}");
        }

        RuleInfo info = RuleInfos(queue).Single(r => r.Name == load.Name);
        string? note = !load.NoPersist && !change.Rule.Persist
            ? $"the configuration defines rule {load.Name}: this replacement lasts until the next reload or restart"
            : null;
        return ControlResponse.Success(id, new LoadResult(
            info, change.Previous is not null, change.LeftQueues.Count > 0 ? [.. change.LeftQueues.Select(q => (int)q)] : null, !change.Rule.Persist, note));
    }

    private ControlResponse SetMode(int id, ModeRequest mode)
    {
        UnloadOutcome outcome = changes.SetMonitor(mode.Name, mode.Monitor);
        if (outcome.Removed is { } now)
        {
            return ControlResponse.Success(id, new ModeResult(now.Name, [.. now.SortedQueues.Select(q => (int)q)], now.Monitor ? "monitor" : "enforce"));
        }

        return outcome.Refusal is { } refusal
            ? ControlResponse.Failure(id, ControlErrorName.Unavailable, $"rule '{mode.Name}' not switched: {refusal}")
            : ControlResponse.Failure(id, ControlErrorName.NotFound, $"no rule named '{mode.Name}' (nflua-ctl list shows the loaded rules)");
    }

    private ControlResponse Unload(int id, UnloadRequest unload)
    {
        UnloadOutcome outcome = changes.Unload(unload.Name);
        if (outcome.Removed is { } removed)
        {
            return ControlResponse.Success(id, new UnloadResult(removed.Name, removed.SortedQueues[0], [.. removed.SortedQueues.Select(q => (int)q)]));
        }

        return outcome.Refusal is { } refusal
            ? ControlResponse.Failure(id, ControlErrorName.Unavailable, $"rule '{unload.Name}' not unloaded: {refusal}")
            : ControlResponse.Failure(id, ControlErrorName.NotFound, $"no rule named '{unload.Name}' (nflua-ctl list shows the loaded rules)");
    }

    private ControlResponse Reload(int id)
    {
        ReloadOutcome outcome = service.Reload();
        if (outcome.Summary is not { } summary)
        {
            return ControlResponse.Failure(id, ControlErrorName.BadRequest, "reload refused, the running rules stay:" + Environment.NewLine + string.Join(Environment.NewLine, outcome.Errors));
        }

        string source = configuration.Current.Source;
        return ControlResponse.Success(id, new ReloadResult(
            summary.Rules,
            summary.Queues,
            source.Length == 0 ? null : source,
            NullIfEmpty(summary.Bound.Select(q => (int)q)),
            NullIfEmpty(summary.Unbound.Select(q => (int)q)),
            NullIfEmpty(summary.NotBound.Select(n => $"queue {n.Key}: {n.Value}")),
            NullIfEmpty(summary.PendingRestart.Select(p => $"queue {p.Key}: {p.Value}"))));
    }

    private List<RuleInfo> RuleInfos(int? onlyQueue) =>
        [.. rules.Queues.Values
            .Where(q => onlyQueue is null || q.Queue == onlyQueue)
            .OrderBy(q => q.Queue)
            .SelectMany(q => q.Published.Rules.Select((rule, position) => Info(rule, q.Queue, position + 1)))];

    private RuleInfo Info(LuaRule rule, ushort queue, int position)
    {
        RuleDefinition? definition = rules.Find(rule.Name);
        return new RuleInfo(
            rule.Name,
            queue,
            position,
            rule.Limits.MaxInstructions,
            rule.Limits.MaxMemoryBytes,
            RuleFailureVerdicts.FromErrorVerdict(rule.Limits.OnError),
            definition?.ScriptName,
            definition switch
            {
                { Origin: RuleOrigin.Configuration } => "configuration",
                { Persist: true } => "nflua-ctl",
                null => null,
                _ => "nflua-ctl, runtime only",
            },
            rule.Limits.CompileInstructions,
            (long)rule.Limits.MaxCompileTime.TotalMilliseconds,
            definition?.Params is { Values.Count: > 0 } parameters ? ParamsJson.ToJson(parameters.Values) : null,
            rule.Monitor ? "monitor" : "enforce");
    }

    private static ControlResponse Respond(int id, SetOutcome outcome) =>
        outcome.Error is { } error ? ControlResponse.Failure(id, error) : ControlResponse.Success(id, outcome.Result!);

    private static SetOutcome BadLimit() => new(null, new ControlError(ControlErrorName.BadRequest, "limit must be 0 or more"));

    private static SetOutcome NoValues(string op) => new(null, new ControlError(ControlErrorName.BadRequest, $"set {op} needs at least one value"));

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items) => items.ToList() is { Count: > 0 } list ? list : null;

    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):")]
    private static partial Regex FileAndLine();
}
