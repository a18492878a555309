namespace NfLua.Cli;

/// <summary>The exit codes of <c>nflua-ctl</c>; scripts may rely on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked (for <c>test</c>: it ran, whatever the verdicts).</summary>
    public const int Success = 0;

    /// <summary>The daemon refused the request or reported an error (compile error, unknown rule, forbidden...); for
    /// <c>test</c>, the Lua runtime is not NfLua's integer-only build.</summary>
    public const int DaemonError = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or invalid argument.</summary>
    public const int UsageError = 2;

    /// <summary>The daemon could not be reached: no socket, nobody listening, no permission, or no answer in time.</summary>
    public const int DaemonUnreachable = 3;

    /// <summary>A local input is unreadable or invalid: the script, the capture, or (for <c>test</c>) a script that does not compile.</summary>
    public const int InputError = 4;

    /// <summary>The exit codes as help text.</summary>
    internal const string HelpText =
        """
        Exit codes:
          0  success (test: the rule ran on the capture, even if it dropped packets)
          1  the daemon refused the request or reported an error (compile error, rule not found, forbidden);
             test: the Lua runtime found is not NfLua's integer-only build
          2  usage error (unknown command or option, missing or invalid argument)
          3  the daemon is unreachable (no socket, nothing listening, permission denied, no answer within --timeout)
          4  local input error (script or capture unreadable or invalid; test: the script does not compile)
        """;
}
