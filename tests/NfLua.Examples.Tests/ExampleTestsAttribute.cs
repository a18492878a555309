namespace NfLua.Examples.Tests;

/// <summary>Names the file of examples/ a test class covers: <see cref="ExampleCoverageTests"/> requires one class per example.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ExampleTestsAttribute(string fileName) : Attribute
{
    public string FileName { get; } = fileName;
}
