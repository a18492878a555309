namespace NfLua.Cli;

/// <summary>Where a run of the CLI writes and what it reads from its environment (injectable for tests).</summary>
/// <param name="Out">Results.</param>
/// <param name="Err">Errors and diagnostics.</param>
/// <param name="GetEnvironmentVariable">Reads an environment variable (NFLUA_SOCKET).</param>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Err, Func<string, string?> GetEnvironmentVariable);
