using NfLua.Engine;
using NfLua.Scripting;

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
                    rule.Name, rule.Queues, File.ReadAllBytes(rule.ScriptPath), rule.ScriptPath, rule.Limits, RuleOrigin.Configuration, Params: rule.Params, Monitor: rule.Monitor));
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
    /// error (unreadable sets, modules and scripts first, then compile errors).
    /// </summary>
    /// <param name="config">The configuration.</param>
    /// <param name="registry">The registry that compiles them.</param>
    /// <param name="errors">Where every error goes.</param>
    /// <param name="shared">The sets and modules to compile against; when null, the configuration's are read from their
    /// files (--check-config).</param>
    public static CompiledRules? Compile(DaemonConfig config, RuleRegistry registry, List<string> errors, RuleEnvironment? shared = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(errors);
        shared ??= SharedFiles.Read(config, registry.Shared, errors);
        if (shared is null)
        {
            return null;
        }

        IReadOnlyList<RuleDefinition> definitions = Read(config, errors);
        CompiledRules compiled = registry.Compile(definitions, shared);
        errors.AddRange(compiled.Errors);
        if (errors.Count == 0)
        {
            return compiled;
        }

        compiled.Dispose();
        return null;
    }
}
