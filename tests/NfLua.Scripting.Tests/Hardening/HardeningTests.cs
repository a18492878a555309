namespace NfLua.Scripting.Tests.Hardening;

/// <summary>
/// The hostile-rule tests assert wall-clock bounds (every call ends within 100 ms): they run after
/// the project's parallel tests, alone, so that another test's work is not counted in their calls.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HardeningTests
{
    public const string Name = "hardening";
}
