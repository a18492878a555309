namespace NfLua.Cli.Completion;

/// <summary>What the shell completes for an argument or an option's value, from the name its help shows.</summary>
internal static class ValueCompletion
{
    /// <summary>The bash that fills COMPREPLY for a value named <paramref name="helpName"/>, or null when nothing sensible
    /// can be offered (a number of instructions, bytes, seconds).</summary>
    /// <exception cref="InvalidOperationException">The name is not one this table knows: a new option must say here what
    /// completes it (its test lists every name in the command tree).</exception>
    public static string? Bash(string helpName) => helpName switch
    {
        "NAME" => "_nflua_ctl_words \"$(_nflua_ctl_daemon rules)\"",
        "N" => "_nflua_ctl_words \"$(_nflua_ctl_daemon queues)\"",
        "SCRIPT" or "CAPTURE" or "PATH" or "FILE" => "_nflua_ctl_files",
        "SET" => "_nflua_ctl_words \"$(_nflua_ctl_daemon sets)\"",
        "IFACE" => "_nflua_ctl_words \"$(ls /sys/class/net 2>/dev/null)\"",
        "K" or "BYTES" or "MS" or "SECONDS" or "COUNT" or "KEY=VALUE" or "VALUE" or "UID" or "GID" or "MARK" or "NAME=KIND:FILE" => null,
        _ when helpName.Contains('|', StringComparison.Ordinal) => $"_nflua_ctl_words \"{helpName.Replace('|', ' ')}\"",
        _ => throw new InvalidOperationException($"no completion is defined for a value named {helpName}"),
    };
}
