using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

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

        File.Copy(KeraLuasFloatLibrary(), Path.Combine(_dir, "liblua54.so"), overwrite: true);

        var psi = new ProcessStartInfo(Path.Combine(_dir, "nfluad")) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("--queue");
        psi.ArgumentList.Add("0");
        using var nfluad = Process.Start(psi)!;
        string stderr = nfluad.StandardError.ReadToEnd();
        Assert.True(nfluad.WaitForExit(30_000));

        Assert.Equal(3, nfluad.ExitCode);
        Assert.Contains("is not NfLua's integer-only Lua 5.4", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// KeraLua's own liblua54.so for this machine's runtime identifier, found where restore put the KeraLua version this
    /// build references (the project's assets file names both): no package folder, version or RID written here.
    /// </summary>
    private static string KeraLuasFloatLibrary()
    {
        string assets = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj", "project.assets.json"));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(assets));
        string package = json.RootElement.GetProperty("libraries").EnumerateObject()
            .Single(l => l.Name.StartsWith("KeraLua/", StringComparison.OrdinalIgnoreCase)).Value.GetProperty("path").GetString()!;
        string library = json.RootElement.GetProperty("packageFolders").EnumerateObject()
            .Select(folder => Path.Combine(folder.Name, package, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "liblua54.so"))
            .FirstOrDefault(File.Exists) ?? "";
        Assert.True(File.Exists(library), $"KeraLua's float library ({package}, {RuntimeInformation.RuntimeIdentifier}) was not found from {assets}");
        return library;
    }
}
