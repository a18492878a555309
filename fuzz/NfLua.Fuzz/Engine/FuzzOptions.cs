namespace NfLua.Fuzz.Engine;

/// <summary>What one run of the harness does.</summary>
internal sealed record FuzzOptions
{
    /// <summary>Inputs per target.</summary>
    public long Inputs { get; init; } = 100_000;

    /// <summary>The seed every input derives from.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Extra corpora: each DIR/&lt;target&gt;/* is added to the built-in seeds.</summary>
    public IReadOnlyList<string> CorpusDirectories { get; init; } = [];

    /// <summary>Where reproducers go.</summary>
    public string FindingsDirectory { get; init; } = "fuzz/findings";

    /// <summary>The longest one input may run before it counts as a hang.</summary>
    public TimeSpan TimeBound { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest input made by mutation.</summary>
    public int MaxInputLength { get; init; } = 4096;
}
