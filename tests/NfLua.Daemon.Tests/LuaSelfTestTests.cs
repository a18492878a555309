using System.Diagnostics;

namespace NfLua.Daemon.Tests;

/// <summary>nfluad refuses to run on any Lua library but NfLua's integer-only build.</summary>
public sealed class LuaSelfTestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nfluad-floatlua-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Nfluad_WithKeraLuasFloatLibrary_RefusesToStart()
    {
        // nfluad as built beside this test (same configuration), with its liblua54.so swapped for
        // the float build that KeraLua's package ships.
        string built = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "NfLua.Daemon", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0"));
        Assert.True(File.Exists(Path.Combine(built, "nfluad")), $"nfluad is not built at {built}");
        foreach (string file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }

        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string floatLua = Path.Combine(packages, "keralua", "1.4.11", "runtimes", "linux-x64", "native", "liblua54.so");
        Assert.True(File.Exists(floatLua), $"KeraLua's float library is not at {floatLua}");
        File.Copy(floatLua, Path.Combine(_dir, "liblua54.so"), overwrite: true);

        var psi = new ProcessStartInfo(Path.Combine(_dir, "nfluad")) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--queue");
        psi.ArgumentList.Add("0");
        using var nfluad = Process.Start(psi)!;
        string stderr = nfluad.StandardError.ReadToEnd();
        Assert.True(nfluad.WaitForExit(30_000));

        Assert.Equal(3, nfluad.ExitCode);
        Assert.Contains("is not NfLua's integer-only Lua 5.4", stderr, StringComparison.Ordinal);
    }
}
