using System.Text.Json;
using System.Text.Json.Serialization;

namespace NfLua.Daemon.State;

/// <summary>
/// The sets changed at run time (<c>nflua-ctl set add/del/load</c>), kept in <c>sets.json</c> under the state directory
/// beside <c>rules.json</c>: each such set's whole contents, written atomically before the change takes effect, used
/// in place of the set's file at start and on reloads until <c>nflua-ctl set load NAME</c> (without a file) reads the
/// file again.
/// </summary>
internal sealed class SetStateFile(string directory)
{
    public const string FileName = "sets.json";

    /// <summary>The file's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>Writes <paramref name="sets"/> as the whole state; no set: the file is removed.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Write(IEnumerable<StateSet> sets)
    {
        var document = new SetStateDocument(SetStateDocument.CurrentVersion, [.. sets.OrderBy(s => s.Name, StringComparer.Ordinal)]);
        if (document.Sets.Count == 0)
        {
            try
            {
                File.Delete(Path);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot remove the set state file {Path}: {ex.Message}", ex);
            }
        }

        AtomicFile.Write(directory, Path, JsonSerializer.SerializeToUtf8Bytes(document, SetStateJsonContext.Default.SetStateDocument), "set state file");
    }

    /// <summary>The sets the file holds, or a problem (never throws for what the file holds; a missing file holds none).</summary>
    public (IReadOnlyList<StateSet> Sets, string? Problem) Read()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return ([], null);
            }

            SetStateDocument? document = JsonSerializer.Deserialize(File.ReadAllBytes(Path), SetStateJsonContext.Default.SetStateDocument);
            return document is { Version: SetStateDocument.CurrentVersion }
                ? (document.Sets, null)
                : ([], $"it is not a version {SetStateDocument.CurrentVersion} set state file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], $"cannot read it: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return ([], $"it is not a set state file ({ex.Message})");
        }
    }

    /// <summary>Copies the file as it is to <c>sets.json.rejected</c>; returns that path.</summary>
    public string KeepAside()
    {
        string aside = Path + ".rejected";
        File.Copy(Path, aside, overwrite: true);
        return aside;
    }
}

/// <summary>The set state file: the sets changed at run time.</summary>
internal sealed record SetStateDocument(int Version, IReadOnlyList<StateSet> Sets)
{
    public const int CurrentVersion = 1;
}

/// <summary>One set changed at run time: its kind ("cidr", "domain", "string") and every entry.</summary>
internal sealed record StateSet(string Name, string Kind, IReadOnlyList<string> Entries);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(SetStateDocument))]
internal sealed partial class SetStateJsonContext : JsonSerializerContext;
