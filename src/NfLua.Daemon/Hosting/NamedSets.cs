using Microsoft.Extensions.Logging;
using NfLua.Control;
using NfLua.Daemon.Configuration;
using NfLua.Daemon.State;
using NfLua.Engine;
using NfLua.Packets;
using NfLua.Packets.Sets;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>
/// The named sets nfluad holds (one copy each, shared read-only by every rule that asks for it) and the trusted modules,
/// and every change of them: at start and on reloads (read from their files, or from the state directory for a set
/// changed at run time), and from the control socket (set add, del, load). A set's contents are replaced whole: a
/// packet sees the old contents or the new. A change that fails changes nothing.
/// </summary>
internal sealed partial class NamedSets(RuleRegistry rules, SetStateFile state, ILogger<NamedSets> logger)
{
    /// <summary>Entry text <c>set show</c> sends back at most (the rest is left out, and said to be).</summary>
    public const int MaxShownBytes = 8 * 1024 * 1024;

    private readonly Lock _lock = new();
    private Dictionary<string, LiveSet> _sets = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads every configured set and module; nothing changes until <see cref="Commit"/>. A set changed at run time keeps
    /// its contents (at start: those of the state file). Null, with every error, when some set or module cannot be read.
    /// </summary>
    public SetsCandidate? Prepare(DaemonConfig config, List<string> errors, bool atStart)
    {
        ArgumentNullException.ThrowIfNull(config);
        int before = errors.Count;
        Dictionary<string, LiveSet> current;
        lock (_lock)
        {
            current = _sets;
        }

        bool stateStale = false;
        Dictionary<string, StateSet> persisted = atStart ? ReadPersisted(config, out stateStale) : [];
        var prepared = new List<PreparedSet>();
        foreach (SetConfig set in config.Sets)
        {
            LiveSet? live = current.GetValueOrDefault(set.Name) is { } l && l.Set.Kind == set.Kind ? l : null;
            if (live is { Changed: true })
            {
                prepared.Add(new PreparedSet(set, live.Set, null, Changed: true));
                KeptRuntimeContents(logger, set.Name, set.FilePath);
                continue;
            }

            if (persisted.GetValueOrDefault(set.Name) is { } saved)
            {
                var problems = new List<string>();
                if (SharedFiles.BuildSet(set, saved.Entries.Select((e, i) => (e, $"{state.Path}: set {set.Name}, entry {i + 1}")), problems) is { } restored)
                {
                    prepared.Add(new PreparedSet(set, new NamedSet(set.Name, restored), restored, Changed: true));
                    RestoredRuntimeContents(logger, set.Name, restored.Count, state.Path);
                    continue;
                }

                stateStale = true;
                problems.ForEach(p => SetStateProblem(logger, state.Path, $"set '{set.Name}' read from {set.FilePath} instead: {p}"));
            }

            if (SharedFiles.ReadSet(set, errors) is { } contents)
            {
                prepared.Add(new PreparedSet(set, live?.Set ?? new NamedSet(set.Name, contents), contents, Changed: false));
            }
        }

        stateStale |= current.Values.Any(l => l.Changed && !prepared.Any(p => p.Changed && p.Config.Name == l.Config.Name));
        Dictionary<string, RuleModule> modules = SharedFiles.ReadModules(config, errors);
        if (errors.Count > before)
        {
            return null;
        }

        RuleEnvironment environment = rules.Shared with
        {
            Sets = prepared.ToDictionary(p => p.Config.Name, p => p.Set, StringComparer.Ordinal),
            Modules = modules,
        };
        return new SetsCandidate(prepared, environment, stateStale);
    }

    /// <summary>Puts a prepared candidate in force: every set's new contents at once, and the environment rules compile against.</summary>
    public void Commit(SetsCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        lock (_lock)
        {
            var sets = new Dictionary<string, LiveSet>(StringComparer.Ordinal);
            foreach (PreparedSet prepared in candidate.Sets)
            {
                // A set changed with nflua-ctl since the reload read its file keeps that change.
                if (!prepared.Changed && _sets.GetValueOrDefault(prepared.Config.Name) is { Changed: true } changedSince
                    && ReferenceEquals(changedSince.Set, prepared.Set))
                {
                    sets[prepared.Config.Name] = changedSince with { Config = prepared.Config };
                    continue;
                }

                if (prepared.Contents is { } contents && !ReferenceEquals(prepared.Set.Current, contents))
                {
                    prepared.Set.Replace(contents);
                }

                sets[prepared.Config.Name] = new LiveSet(prepared.Config, prepared.Set, prepared.Changed);
            }

            _sets = sets;
            rules.Shared = rules.Shared with { Sets = candidate.Environment.Sets, Modules = candidate.Environment.Modules };
            if (candidate.StateStale && TryWriteState(sets.Values) is { } failure)
            {
                SetStateProblem(logger, state.Path, failure);
            }
        }
    }

    /// <summary>Every set, by name.</summary>
    public IReadOnlyList<SetInfo> List()
    {
        lock (_lock)
        {
            return [.. _sets.Values.OrderBy(s => s.Config.Name, StringComparer.Ordinal).Select(Info)];
        }
    }

    /// <summary>A set's entries, sorted, at most <paramref name="limit"/>.</summary>
    public SetOutcome Show(string name, int? limit)
    {
        LiveSet? live = Find(name);
        if (live is null)
        {
            return NotFound(name);
        }

        var entries = new List<string>();
        long bytes = 0;
        bool truncated = false;
        foreach (string entry in live.Set.Current.Entries().Order(StringComparer.Ordinal))
        {
            bytes += entry.Length + 4;
            if ((limit is { } most && entries.Count >= most) || bytes > MaxShownBytes)
            {
                truncated = true;
                break;
            }

            entries.Add(entry);
        }

        return new SetOutcome(new SetShowResult(Info(live), entries, truncated), null);
    }

    /// <summary>Adds <paramref name="values"/> to a set: all of them, or none when one is refused.</summary>
    public SetOutcome Add(string name, IReadOnlyList<string> values) => Change(name, "add", live =>
    {
        var errors = new List<string>();
        HashSet<string> existing = [.. live.Set.Current.Entries()];
        int added = 0;
        foreach ((string value, int i) in values.Select((v, i) => (v, i)))
        {
            if (Canonical(live.Set.Kind, value, $"value {i + 1}", errors) is { } canonical && existing.Add(canonical))
            {
                added++;
            }
        }

        return errors.Count > 0 ? (null, 0, errors) : Rebuild(live.Config, existing, added);
    });

    /// <summary>Removes <paramref name="values"/> from a set: all of them, or none when one is not an entry.</summary>
    public SetOutcome Del(string name, IReadOnlyList<string> values) => Change(name, "del", live =>
    {
        var errors = new List<string>();
        HashSet<string> existing = [.. live.Set.Current.Entries()];
        int removed = 0;
        foreach ((string value, int i) in values.Select((v, i) => (v, i)))
        {
            if (Canonical(live.Set.Kind, value, $"value {i + 1}", errors) is not { } canonical)
            {
                continue;
            }

            if (existing.Remove(canonical))
            {
                removed++;
            }
            else
            {
                errors.Add($"value {i + 1}: {canonical} is not an entry of set {live.Config.Name} (nflua-ctl set show {live.Config.Name} lists them)");
            }
        }

        return errors.Count > 0 ? (null, 0, errors) : Rebuild(live.Config, existing, removed);
    });

    /// <summary>Replaces a set's contents with a set file's <paramref name="text"/>, or (null) with its configured file read again.</summary>
    public SetOutcome Load(string name, string? text, string? shownPath)
    {
        if (text is null)
        {
            return Change(name, "load", live =>
            {
                var errors = new List<string>();
                IMatchSet? contents = SharedFiles.ReadSet(live.Config, errors);
                return (contents, contents?.Count ?? 0, errors);
            }, changed: false);
        }

        return Change(name, "load", live =>
        {
            var errors = new List<string>();
            IMatchSet? contents = SharedFiles.ParseSet(live.Config, text, string.IsNullOrEmpty(shownPath) ? name + ".txt" : shownPath, errors);
            return (contents, contents?.Count ?? 0, errors);
        });
    }

    private SetOutcome Change(string name, string op, Func<LiveSet, (IMatchSet? Contents, int Changed, List<string> Errors)> build, bool changed = true)
    {
        lock (_lock)
        {
            if (_sets.GetValueOrDefault(name) is not { } live)
            {
                return NotFound(name);
            }

            (IMatchSet? contents, int count, List<string> errors) = build(live);
            if (contents is null)
            {
                return new SetOutcome(null, new ControlError(ControlErrorName.BadRequest,
                    $"set {name} unchanged: " + string.Join(Environment.NewLine, errors)));
            }

            var next = new LiveSet(live.Config, live.Set, changed);
            var after = new Dictionary<string, LiveSet>(_sets, StringComparer.Ordinal) { [name] = next };
            if ((changed || live.Changed) && TryWriteState(after.Values, (name, contents)) is { } failure)
            {
                return new SetOutcome(null, new ControlError(ControlErrorName.Unavailable, $"set {name} unchanged: {failure}"));
            }

            live.Set.Replace(contents);
            _sets = after;
            SetChanged(logger, name, op, contents.Count, changed ? "kept in " + state.Path : "as its file holds it");
            return new SetOutcome(new SetChangeResult(Info(next), count, changed), null);
        }
    }

    private static (IMatchSet?, int, List<string>) Rebuild(SetConfig config, IEnumerable<string> entries, int changed)
    {
        var errors = new List<string>();
        IMatchSet? contents = SharedFiles.BuildSet(config, entries.Select(e => (e, "entry")), errors);
        return (contents, changed, errors);
    }

    /// <summary>A value in the canonical form the set lists its entries in; null, and an error, when it is not one.</summary>
    private static string? Canonical(SetKind kind, string value, string where, List<string> errors)
    {
        string? error;
        switch (kind)
        {
            case SetKind.Cidr:
                if (Cidr.TryParse(value.Trim(), out Cidr network, out error))
                {
                    return network.ToString();
                }

                break;
            case SetKind.Domain:
                if (DomainSet.TryCanonicalize(System.Text.Encoding.UTF8.GetBytes(value.Trim()), out byte[] canonical, out error))
                {
                    return System.Text.Encoding.ASCII.GetString(canonical);
                }

                break;
            default:
                if (value.Length > 0)
                {
                    return value;
                }

                error = "an empty string";
                break;
        }

        errors.Add($"{where}: {error}");
        return null;
    }

    private string? TryWriteState(IEnumerable<LiveSet> sets, (string Name, IMatchSet Contents)? replacing = null)
    {
        try
        {
            state.Write(sets.Where(s => s.Changed).Select(s => new StateSet(
                s.Config.Name,
                SetKinds.Word(s.Set.Kind),
                [.. (replacing is { } r && r.Name == s.Config.Name ? r.Contents : s.Set.Current).Entries().Order(StringComparer.Ordinal)])));
            return null;
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }

    private Dictionary<string, StateSet> ReadPersisted(DaemonConfig config, out bool dropped)
    {
        (IReadOnlyList<StateSet> sets, string? problem) = state.Read();
        var kept = new Dictionary<string, StateSet>(StringComparer.Ordinal);
        if (problem is not null)
        {
            SetStateProblem(logger, state.Path, problem);
        }

        foreach (StateSet set in sets)
        {
            SetConfig? configured = config.Sets.FirstOrDefault(s => s.Name == set.Name);
            if (configured is null)
            {
                SetStateProblem(logger, state.Path, $"set '{set.Name}' dropped: the configuration no longer defines it");
            }
            else if (!SetKinds.TryParse(set.Kind, out SetKind kind) || kind != configured.Kind)
            {
                SetStateProblem(logger, state.Path, $"set '{set.Name}' dropped: it held {set.Kind} entries, the configuration's set is of kind {SetKinds.Word(configured.Kind)}");
            }
            else
            {
                kept[set.Name] = set;
            }
        }

        dropped = problem is not null || kept.Count != sets.Count;
        if (dropped && File.Exists(state.Path))
        {
            try
            {
                SetStateProblem(logger, state.Path, $"kept as it was in {state.KeepAside()}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SetStateProblem(logger, state.Path, $"it could not be kept aside: {ex.Message}");
            }
        }

        return kept;
    }

    private LiveSet? Find(string name)
    {
        lock (_lock)
        {
            return _sets.GetValueOrDefault(name);
        }
    }

    private SetOutcome NotFound(string name)
    {
        string known = List() is { Count: > 0 } sets ? "defined: " + string.Join(", ", sets.Select(s => s.Name)) : "the configuration defines none";
        return new SetOutcome(null, new ControlError(ControlErrorName.NotFound,
            $"no set named '{name}' ({known}; sets are defined in the configuration: set {{ \"NAME\", kind = ..., file = ... }})"));
    }

    private static SetInfo Info(LiveSet live) => new(
        live.Config.Name,
        SetKinds.Word(live.Set.Kind),
        live.Set.Current.Count,
        live.Set.Current.MemoryBytes,
        live.Config.MaxMemoryBytes,
        live.Config.FilePath,
        live.Changed ? "nflua-ctl" : "file");

    [LoggerMessage(EventId = LogEventIds.SetChanged, Level = LogLevel.Information, Message = "set {Set}: {Op}, {Entries} entries now ({Persistence})")]
    private static partial void SetChanged(ILogger logger, string set, string op, int entries, string persistence);

    [LoggerMessage(EventId = LogEventIds.SetKeptRuntimeContents, Level = LogLevel.Information, Message = "set {Set} keeps the contents nflua-ctl gave it, not {File}'s (nflua-ctl set load {Set} reads the file again)")]
    private static partial void KeptRuntimeContents(ILogger logger, string set, string file);

    [LoggerMessage(EventId = LogEventIds.SetRestored, Level = LogLevel.Information, Message = "set {Set}: restored {Entries} entries changed at run time from {Path}")]
    private static partial void RestoredRuntimeContents(ILogger logger, string set, int entries, string path);

    [LoggerMessage(EventId = LogEventIds.SetStateProblem, Level = LogLevel.Error, Message = "set state file {Path}: {Problem}")]
    private static partial void SetStateProblem(ILogger logger, string path, string problem);

    /// <summary>A set in force: its configuration, the set rules hold, and whether its contents came from nflua-ctl.</summary>
    private sealed record LiveSet(SetConfig Config, NamedSet Set, bool Changed);
}

/// <summary>A set read for a start or a reload: the set rules will hold, its new contents (null: kept as they are).</summary>
internal sealed record PreparedSet(SetConfig Config, NamedSet Set, IMatchSet? Contents, bool Changed);

/// <summary>Sets and modules read and not yet in force, and the environment rules compile against.</summary>
internal sealed record SetsCandidate(IReadOnlyList<PreparedSet> Sets, RuleEnvironment Environment, bool StateStale);

/// <summary>What a set request gives back: a result, or an error.</summary>
internal sealed record SetOutcome(ControlResult? Result, ControlError? Error);
