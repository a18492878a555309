namespace NfLua.Daemon;

/// <summary>nfluad's exit codes (nfluad(8) lists them; the unit restarts it on any but 0).</summary>
internal static class ExitCodes
{
    /// <summary>A clean stop, or (--check-config) a valid configuration.</summary>
    public const int Success = 0;

    /// <summary>It cannot start: an invalid configuration, rules that do not compile, no queue bound, or no control socket.</summary>
    public const int CannotStart = 1;

    /// <summary>The command line is wrong (as for nflua-ctl).</summary>
    public const int UsageError = CommandLine.UsageErrors.ExitCode;

    /// <summary>The Lua library found is not NfLua's integer-only build.</summary>
    public const int WrongLuaLibrary = 3;

    /// <summary>The exit codes as help text.</summary>
    public const string HelpText =
        """
        Exit codes:
          0  a clean stop (SIGTERM, SIGINT), or --check-config: the configuration is valid
          1  cannot start: invalid configuration, rules that do not compile, no queue bound, no control socket
          2  usage error (unknown option, invalid argument)
          3  the Lua library is not NfLua's integer-only build
        """;
}
