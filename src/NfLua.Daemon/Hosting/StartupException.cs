namespace NfLua.Daemon.Hosting;

/// <summary>nfluad cannot start; every reason is listed.</summary>
internal sealed class StartupException(string summary, IReadOnlyList<string> errors)
    : Exception(summary + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
