using System.CommandLine;
using System.Globalization;
using NfLua.Control;

namespace NfLua.Cli;

/// <summary>Options every command accepts, before or after the command's name.</summary>
internal sealed class GlobalOptions
{
    public const double DefaultTimeoutSeconds = 10;

    public Option<string?> Socket { get; } = new("--socket")
    {
        Description = $"the daemon's control socket (default: ${ControlSocketPath.EnvironmentVariable}, else {ControlSocketPath.Default})",
        HelpName = "PATH",
    };

    public Option<double> Timeout { get; } = CreateTimeout();

    private static Option<double> CreateTimeout()
    {
        var timeout = new Option<double>("--timeout")
        {
            Description = "seconds to wait for the daemon before giving up with exit code 3",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
            };
        timeout.Validators.Add(result =>
        {
            double seconds = result.GetValueOrDefault<double>();
            if (!(seconds > 0 && seconds <= 3600))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--timeout must be above 0 and at most 3600 seconds, not {seconds}"));
            }
        });
        return timeout;
    }

    /// <summary>Lets a daemon command take the global options after its name too (<c>nflua-ctl list --socket PATH</c>);
    /// not recursive, so that <c>test</c>, which needs no daemon, does not offer them.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Socket);
        command.Options.Add(Timeout);
    }

    public static Option<bool> CreateJson() => new("--json") { Description = "print the result as JSON (stable field names) instead of a table" };
}
