using System.Text;
using NfLua.Packets.Sets;
using NfLua.Scripting;

namespace NfLua.Daemon.Configuration;

/// <summary>
/// Reads what the configuration shares with every rule: the named sets' files and the trusted modules' files. Every
/// problem is an error with its file and line (a set file's own line, or the configuration's for a file that cannot be
/// read); a set that does not fit its max_memory is refused whole.
/// </summary>
internal static class SharedFiles
{
    /// <summary>The largest module file read (a module is code, not data: data goes in sets).</summary>
    public const long MaxModuleBytes = 16L * 1024 * 1024;

    /// <summary>Every configured set read from its file and every module, as a rule environment (new sets); null when anything failed.</summary>
    public static RuleEnvironment? Read(DaemonConfig config, RuleEnvironment shared, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        var sets = new Dictionary<string, NamedSet>(StringComparer.Ordinal);
        foreach (SetConfig set in config.Sets)
        {
            if (ReadSet(set, errors) is { } contents)
            {
                sets[set.Name] = new NamedSet(set.Name, contents);
            }
        }

        Dictionary<string, RuleModule> modules = ReadModules(config, errors);
        return errors.Count > before ? null : shared with { Sets = sets, Modules = modules };
    }

    /// <summary>A set's contents read from its configured file; null, and the errors, when it cannot be.</summary>
    public static IMatchSet? ReadSet(SetConfig set, List<string> errors)
    {
        var builder = new SetBuilder(set.Name, set.Kind, set.MaxMemoryBytes);
        try
        {
            builder.AddFile(set.FilePath, set.FilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{set.DeclaredAt}: set '{set.Name}': cannot read {set.FilePath}: {ex.Message}");
            return null;
        }

        return Build(builder, errors);
    }

    /// <summary>A set's contents from the text of a set file (nflua-ctl set load); <paramref name="shownPath"/> names its lines in errors.</summary>
    public static IMatchSet? ParseSet(SetConfig set, string text, string shownPath, List<string> errors)
    {
        var builder = new SetBuilder(set.Name, set.Kind, set.MaxMemoryBytes);
        int number = 0;
        foreach (ReadOnlySpan<char> line in text.AsSpan().EnumerateLines())
        {
            number++;
            ReadOnlySpan<char> content = number == 1 && line.StartsWith("\uFEFF") ? line[1..] : line;
            builder.AddLine(content.ToString(), $"{shownPath}:{number}");
            if (builder.OverLimit || builder.Errors.Count >= SetBuilder.MaxErrors)
            {
                break;
            }
        }

        return Build(builder, errors);
    }

    /// <summary>A set's contents from entries, each named by <paramref name="where"/> in errors.</summary>
    public static IMatchSet? BuildSet(SetConfig set, IEnumerable<(string Entry, string Where)> entries, List<string> errors)
    {
        var builder = new SetBuilder(set.Name, set.Kind, set.MaxMemoryBytes);
        foreach ((string entry, string where) in entries)
        {
            builder.Add(Encoding.UTF8.GetBytes(entry), where);
            if (builder.OverLimit || builder.Errors.Count >= SetBuilder.MaxErrors)
            {
                break;
            }
        }

        return Build(builder, errors);
    }

    /// <summary>Every configured module's source.</summary>
    public static Dictionary<string, RuleModule> ReadModules(DaemonConfig config, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var modules = new Dictionary<string, RuleModule>(StringComparer.Ordinal);
        foreach (ModuleConfig module in config.Modules)
        {
            try
            {
                var info = new FileInfo(module.FilePath);
                if (info.Exists && info.Length > MaxModuleBytes)
                {
                    errors.Add($"{module.DeclaredAt}: module '{module.Name}': {module.FilePath} is {info.Length} bytes, over the {MaxModuleBytes}-byte limit for a module (lists belong in a set {{ }})");
                    continue;
                }

                modules[module.Name] = new RuleModule(File.ReadAllBytes(module.FilePath), module.FilePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{module.DeclaredAt}: module '{module.Name}': cannot read {module.FilePath}: {ex.Message}");
            }
        }

        return modules;
    }

    private static IMatchSet? Build(SetBuilder builder, List<string> errors)
    {
        IMatchSet? contents = builder.Build();
        if (contents is null)
        {
            errors.AddRange(builder.Errors);
        }

        return contents;
    }
}
