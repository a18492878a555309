namespace NfLua.Cli.Tests;

/// <summary>One in-process run of nflua-ctl and what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the CLI with an empty environment unless <paramref name="environment"/> says otherwise.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await Cli.RunAsync(
            args,
            output,
            error,
            name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null,
            TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(null, args);
}
