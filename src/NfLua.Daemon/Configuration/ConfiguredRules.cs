using NfLua.Engine;

namespace NfLua.Daemon.Configuration;

/// <summary>The configuration's rules as the registry takes them: each script read, each rule once with all its queues.</summary>
internal static class ConfiguredRules
{
    /// <summary>Reads every configured rule's script; a script that cannot be read is an error naming where the rule is written.</summary>
    public static IReadOnlyList<RuleDefinition> Read(DaemonConfig config, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        var definitions = new List<RuleDefinition>();
        foreach (RuleConfig rule in config.Rules)
        {
            try
            {
                definitions.Add(new RuleDefinition(
                    rule.Name, rule.Queues, File.ReadAllBytes(rule.ScriptPath), rule.ScriptPath, rule.Limits, RuleOrigin.Configuration));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{rule.DeclaredAt}: rule '{rule.Name}': cannot read {rule.ScriptPath}: {ex.Message}");
            }
        }

        return definitions;
    }

    /// <summary>
    /// Reads and compiles the configuration's rules; nothing is published. Returns the compiled rules, or null and every
    /// error (unreadable scripts first, then compile errors).
    /// </summary>
    public static CompiledRules? Compile(DaemonConfig config, RuleRegistry registry, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(registry);
        IReadOnlyList<RuleDefinition> definitions = Read(config, errors);
        CompiledRules compiled = registry.Compile(definitions);
        errors.AddRange(compiled.Errors);
        if (errors.Count == 0)
        {
            return compiled;
        }

        compiled.Dispose();
        return null;
    }
}
