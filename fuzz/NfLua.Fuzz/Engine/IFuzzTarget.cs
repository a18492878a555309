namespace NfLua.Fuzz.Engine;

/// <summary>One input surface: its seeds, how to make inputs from scratch, and the invariant every input must keep.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name on the command line and of the corpus folder.</summary>
    string Name { get; }

    /// <summary>Tokens the mutator may insert or overwrite with (keywords, magic numbers); may be empty.</summary>
    IReadOnlyList<byte[]> Dictionary { get; }

    /// <summary>The built-in seed corpus: real, well-formed inputs made by the harness's builders.</summary>
    IEnumerable<Seed> Seeds();

    /// <summary>A new input generated from scratch (structure-aware), deterministic for <paramref name="random"/>.</summary>
    byte[] Generate(Random random);

    /// <summary>
    /// Runs the code under test on <paramref name="input"/> and checks the target's invariant. Throws
    /// <see cref="InvariantViolationException"/> when it does not hold; any other exception escaping is a finding too.
    /// </summary>
    /// <returns>True when the input was accepted as well-formed (reported as a share, to show how deep inputs reach).</returns>
    bool Check(byte[] input);
}
