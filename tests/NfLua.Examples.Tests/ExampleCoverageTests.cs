using System.Reflection;

namespace NfLua.Examples.Tests;

/// <summary>Every rule in examples/ is tested here: a new example without tests fails CI.</summary>
public sealed class ExampleCoverageTests
{
    private static readonly Dictionary<string, Type> s_testedExamples = typeof(ExampleCoverageTests).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttribute<ExampleTestsAttribute>()))
        .Where(t => t.Attribute is not null)
        .ToDictionary(t => t.Attribute!.FileName, t => t.Type);

    [Fact]
    public void EveryExample_HasATestClassWithTests()
    {
        string[] examples = [.. Directory.GetFiles(Repository.Examples, "*.lua").Select(Path.GetFileName).Order()!];
        Assert.NotEmpty(examples);
        string[] untested = [.. examples.Where(e => !s_testedExamples.TryGetValue(e, out Type? type) || !HasTests(type))];
        Assert.True(untested.Length == 0, "examples without tests (add a class with [ExampleTests(\"name.lua\")] and facts): " + string.Join(", ", untested));
    }

    [Fact]
    public void EveryTestedExample_Exists()
    {
        string[] missing = [.. s_testedExamples.Keys.Where(name => !File.Exists(Repository.Example(name)))];
        Assert.True(missing.Length == 0, "tests for examples that are not in examples/: " + string.Join(", ", missing));
    }

    private static bool HasTests(Type type) =>
        type.GetMethods().Any(m => m.GetCustomAttribute<FactAttribute>() is not null);
}
