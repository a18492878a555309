using Microsoft.Extensions.Logging;
using NfLua.Daemon.State;
using NfLua.Engine;

namespace NfLua.Daemon.Hosting;

/// <content>Restoring the loaded rules at start.</content>
internal sealed partial class RuleChanges
{
    /// <summary>
    /// Loads again the rules the state file holds (after the configuration's). What cannot be restored is skipped and
    /// logged, never a reason not to start: an unreadable file, a rule whose name the configuration now defines, a rule
    /// that no longer compiles or whose queue cannot be bound. When anything was skipped the file is kept aside as it was
    /// (rules.json.rejected), since the next change rewrites it. Returns how many rules were restored.
    /// </summary>
    public int Restore()
    {
        StateContents contents = state.Read();
        var problems = new List<string>(contents.Problems);
        int restored = 0;
        foreach (RuleDefinition definition in contents.Rules)
        {
            if (rules.Find(definition.Name) is { Origin: RuleOrigin.Configuration })
            {
                problems.Add($"rule '{definition.Name}' skipped: the configuration defines a rule of that name");
                continue;
            }

            LoadOutcome outcome = Load(definition, writeState: false);
            if (outcome.Change is not null)
            {
                restored++;
            }
            else
            {
                problems.Add($"rule '{definition.Name}' skipped: {outcome.Refusal ?? string.Join("; ", outcome.CompileErrors)}");
            }
        }

        foreach (string problem in problems)
        {
            if (contents.Unreadable)
            {
                StateUnreadable(logger, state.Path, problem);
            }
            else
            {
                StateRuleSkipped(logger, state.Path, problem);
            }
        }

        if (problems.Count > 0 && KeepAside() is { } aside)
        {
            StateKeptAside(logger, state.Path, aside);
        }

        if (contents.Rules.Count > 0)
        {
            StateRestored(logger, restored, contents.Rules.Count, state.Path);
        }

        return restored;
    }

    private string? KeepAside()
    {
        try
        {
            return state.KeepAside();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StateRuleSkipped(logger, state.Path, $"it could not be kept aside: {ex.Message}");
            return null;
        }
    }

    [LoggerMessage(EventId = LogEventIds.StateRestored, Level = LogLevel.Information, Message = "restored {Restored} of {Total} loaded rule(s) from {Path}")]
    private static partial void StateRestored(ILogger logger, int restored, int total, string path);

    [LoggerMessage(EventId = LogEventIds.StateRuleSkipped, Level = LogLevel.Error, Message = "state file {Path}: {Problem}")]
    private static partial void StateRuleSkipped(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = LogEventIds.StateUnreadable, Level = LogLevel.Error, Message = "state file {Path} cannot be used, no loaded rule was restored: {Problem}")]
    private static partial void StateUnreadable(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = LogEventIds.StateKeptAside, Level = LogLevel.Warning, Message = "state file {Path}: what could not be restored is kept in {Aside}")]
    private static partial void StateKeptAside(ILogger logger, string path, string aside);
}
