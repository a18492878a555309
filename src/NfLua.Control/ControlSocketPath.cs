namespace NfLua.Control;

/// <summary>Where the control socket lives.</summary>
public static class ControlSocketPath
{
    /// <summary>The default path of the daemon's control socket.</summary>
    public const string Default = "/run/nflua/nflua.sock";

    /// <summary>The environment variable that overrides <see cref="Default"/> for <c>nflua-ctl</c>.</summary>
    public const string EnvironmentVariable = "NFLUA_SOCKET";

    /// <summary>Chooses the socket path: an explicit <c>--socket</c> value first, then <see cref="EnvironmentVariable"/>, then <see cref="Default"/>.</summary>
    /// <param name="explicitPath">The value of a <c>--socket</c> option, or null when none was given.</param>
    /// <param name="getEnvironmentVariable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <returns>The path to connect to. Empty or blank values count as absent.</returns>
    public static string Resolve(string? explicitPath, Func<string, string?>? getEnvironmentVariable = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return explicitPath;
        }

        string? fromEnvironment = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? Default : fromEnvironment;
    }
}
