namespace NfLua.Control.Tests;

public sealed class ControlSocketPathTests
{
    [Fact]
    public void Resolve_ExplicitPath_WinsOverEnvironment()
    {
        Assert.Equal("/tmp/a.sock", ControlSocketPath.Resolve("/tmp/a.sock", _ => "/tmp/env.sock"));
    }

    [Fact]
    public void Resolve_EnvironmentSet_UsesIt()
    {
        Assert.Equal("/tmp/env.sock", ControlSocketPath.Resolve(null, name => name == "NFLUA_SOCKET" ? "/tmp/env.sock" : null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Resolve_NothingGiven_UsesDefault(string? environment)
    {
        Assert.Equal("/run/nflua/nflua.sock", ControlSocketPath.Resolve("", _ => environment));
    }
}
