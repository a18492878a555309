using System.Text;
using System.Text.Json;
using NfLua.Engine;
using NfLua.Scripting;

namespace NfLua.Daemon.State;

/// <summary>
/// The rules loaded through the control socket, kept in <c>rules.json</c> under the state directory so that a restart
/// (or a crash and systemd's restart) comes back with them. Every write replaces the file atomically: the new text is
/// written to a temporary file and flushed to disk, renamed over the old one, and the directory is flushed too, so the
/// file is always either the old set or the new one.
/// </summary>
internal sealed class RuleStateFile(string directory)
{
    public const string FileName = "rules.json";

    /// <summary>The file's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>Writes <paramref name="rules"/> as the whole state.</summary>
    /// <exception cref="IOException">The file cannot be written (the message says where and why).</exception>
    public void Write(IEnumerable<RuleDefinition> rules)
    {
        var document = new StateDocument(StateDocument.CurrentVersion, [.. rules.OrderBy(r => r.Name, StringComparer.Ordinal).Select(ToState)]);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, StateJsonContext.Default.StateDocument);
        AtomicFile.Write(directory, Path, json, "state file");
    }

    /// <summary>
    /// Reads the state. A missing file is an empty state; a file that is not a state file at all yields no rule and one
    /// problem; a rule that is not valid is left out with a problem naming it. Never throws for what the file holds.
    /// </summary>
    public StateContents Read()
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(Path))
            {
                return new StateContents([], [], Unreadable: false);
            }

            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new StateContents([], [$"cannot read it: {ex.Message}"], Unreadable: true);
        }

        StateDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, StateJsonContext.Default.StateDocument);
        }
        catch (JsonException ex)
        {
            return new StateContents([], [$"it is not a state file ({ex.Message})"], Unreadable: true);
        }

        if (document is null || document.Version != StateDocument.CurrentVersion)
        {
            return new StateContents([], [$"it is not a version {StateDocument.CurrentVersion} state file"], Unreadable: true);
        }

        var rules = new List<RuleDefinition>();
        var problems = new List<string>();
        foreach (StateRule rule in document.Rules)
        {
            if (FromState(rule, out string? problem) is { } definition && rules.All(r => r.Name != definition.Name))
            {
                rules.Add(definition);
            }
            else
            {
                problems.Add($"rule '{rule.Name}' skipped: {problem ?? "its name appears twice"}");
            }
        }

        return new StateContents(rules, problems, Unreadable: false);
    }

    /// <summary>Copies the file as it is to <c>rules.json.rejected</c> (for the operator: what could not be restored); returns that path.</summary>
    public string KeepAside()
    {
        string aside = Path + ".rejected";
        File.Copy(Path, aside, overwrite: true);
        return aside;
    }

    private static StateRule ToState(RuleDefinition rule) => new(
        rule.Name,
        [.. rule.SortedQueues.Select(q => (int)q)],
        rule.ScriptName,
        Encoding.UTF8.GetString(rule.Script),
        new StateLimits(
            rule.Limits.MaxInstructions,
            rule.Limits.MaxMemoryBytes,
            (long)rule.Limits.MaxCallTime.TotalMilliseconds,
            rule.Limits.MaxFlows,
            ErrorVerdicts.Word(rule.Limits.OnError),
            rule.Limits.MaxCompileInstructions,
            rule.Limits.MaxCompileTime == RuleLimits.DefaultMaxCompileTime ? null : (long)rule.Limits.MaxCompileTime.TotalMilliseconds),
        rule.Params is { Values.Count: > 0 } parameters ? Control.ParamsJson.ToJson(parameters.Values) : null,
        rule.Monitor ? "monitor" : null);

    private static RuleDefinition? FromState(StateRule rule, out string? problem)
    {
        problem = null;
        if (!RuleNames.IsValid(rule.Name))
        {
            problem = RuleNames.Rule;
        }
        else if (rule.Queues.Count == 0 || rule.Queues.Any(q => q is < 0 or > ushort.MaxValue))
        {
            problem = "its queues must be one or more numbers from 0 to 65535";
        }
        else if (!ErrorVerdicts.TryParse(rule.Limits.OnError, out _))
        {
            problem = "on-error must be accept or drop";
        }
        else if (!RuleLimits.CallTimeMsRange.Contains(rule.Limits.MaxCallTimeMs))
        {
            problem = $"max-call-time must be {RuleLimits.CallTimeMsRange.Min} to {RuleLimits.CallTimeMsRange.Max} ms";
        }

        else if (rule.Mode is not (null or "monitor" or "enforce"))
        {
            problem = "mode must be monitor or enforce";
        }

        if (problem is not null)
        {
            return null;
        }

        var limits = new RuleLimits
        {
            MaxInstructions = rule.Limits.MaxInstructions,
            MaxMemoryBytes = rule.Limits.MaxMemory,
            MaxCallTime = TimeSpan.FromMilliseconds(rule.Limits.MaxCallTimeMs),
            MaxFlows = rule.Limits.MaxFlows,
            OnError = ErrorVerdicts.TryParse(rule.Limits.OnError, out ErrorVerdict onError) ? onError : ErrorVerdict.Accept,
            MaxCompileInstructions = rule.Limits.CompileInstructions,
            MaxCompileTime = rule.Limits.CompileTimeMs is { } ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, -1, int.MaxValue)) : RuleLimits.DefaultMaxCompileTime,
        };
        if (limits.Validate() is { Count: > 0 } invalid)
        {
            problem = string.Join("; ", invalid);
            return null;
        }

        RuleParams? parameters = null;
        if (rule.Params is { } json
            && (Control.ParamsJson.FromJson(json, out problem) is not { } values || !RuleParams.TryCreate(values, out parameters, out problem)))
        {
            return null;
        }

        return new RuleDefinition(
            rule.Name, [.. rule.Queues.Select(q => (ushort)q)], Encoding.UTF8.GetBytes(rule.Script), rule.ScriptName, limits, RuleOrigin.Control, Params: parameters,
            Monitor: rule.Mode == "monitor");
    }
}

/// <summary>What the state file held: the valid rules, a line per problem, and whether the file could not be read at all.</summary>
internal sealed record StateContents(IReadOnlyList<RuleDefinition> Rules, IReadOnlyList<string> Problems, bool Unreadable);
