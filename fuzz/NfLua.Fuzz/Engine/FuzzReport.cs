namespace NfLua.Fuzz.Engine;

/// <summary>The outcome of fuzzing one target.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Inputs">Inputs run.</param>
/// <param name="Accepted">Inputs the code accepted as well-formed.</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="Finding">The reproducer written for the first finding, or null.</param>
/// <param name="FindingText">What went wrong, or null.</param>
internal sealed record FuzzReport(string Target, long Inputs, long Accepted, TimeSpan Elapsed, string? Finding, string? FindingText)
{
    public double InputsPerSecond => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public string Summary =>
        $"{Target}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({InputsPerSecond:N0}/s), "
        + $"{100.0 * Accepted / Math.Max(Inputs, 1):F1}% well-formed, "
        + (Finding is null ? "no findings" : $"FINDING: {FindingText} (reproducer {Finding})");
}
