namespace NfLua.Daemon.Hosting;

/// <summary>nfluad cannot start; every reason is listed (or, for one self-explaining reason, just that line).</summary>
internal sealed class StartupException : Exception
{
    public StartupException(string summary, IReadOnlyList<string> errors)
        : base(summary + ":" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>One reason that says everything itself (what failed, where, and what to do).</summary>
    public StartupException(string line)
        : base(line)
    {
        Errors = [line];
    }

    public IReadOnlyList<string> Errors { get; }
}
