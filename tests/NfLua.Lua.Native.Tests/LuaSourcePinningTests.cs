namespace NfLua.Lua.Native.Tests;

/// <summary>The build takes only the Lua sources it was pinned to, and says what to do otherwise.</summary>
public sealed class LuaSourcePinningTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("nflua-pin-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Build_WithAChecksumMismatch_FailsWithAClearMessage()
    {
        string realLock = File.ReadAllText(Path.Combine(RepoPaths.NativeDir, "lua-sources.lock"));
        string orig = realLock.Split('\n').Single(l => l.StartsWith("lua5.4_", StringComparison.Ordinal) && l.Contains(".orig.tar", StringComparison.Ordinal));
        string[] fields = orig.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string wrongSum = new string('0', 64);
        string tamperedLock = Path.Combine(_temp, "tampered.lock");
        File.WriteAllText(tamperedLock, realLock.Replace(fields[1], wrongSum, StringComparison.Ordinal));

        // The cache the solution's build filled holds the genuine file: only the pin differs.
        ProcessResult build = RunBuild(tamperedLock, offline: true);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"SHA-256 mismatch for {fields[0]}", build.StdErr, StringComparison.Ordinal);
        Assert.Contains(wrongSum, build.StdErr, StringComparison.Ordinal);
        Assert.Contains("Fix:", build.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp, "liblua54.so")));
    }

    [Fact]
    public void Build_WithAFileMissingFromTheCacheOffline_FailsWithAClearMessage()
    {
        string lockFile = Path.Combine(_temp, "missing.lock");
        File.WriteAllText(lockFile, "lua5.4_0.0.0.orig.tar.gz " + new string('1', 64) + "\n");

        ProcessResult build = RunBuild(lockFile, offline: true);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("lua5.4_0.0.0.orig.tar.gz is not in", build.StdErr, StringComparison.Ordinal);
        Assert.Contains("Fix:", build.StdErr, StringComparison.Ordinal);
    }

    private ProcessResult RunBuild(string lockFile, bool offline) =>
        ProcessRunner.Run(
            "bash",
            [Path.Combine(RepoPaths.NativeDir, "build-lua.sh"), Path.Combine(_temp, "work"), Path.Combine(_temp, "liblua54.so")],
            new Dictionary<string, string>
            {
                ["NFLUA_LUA_LOCK"] = lockFile,
                ["NFLUA_OFFLINE"] = offline ? "1" : "0",
            });
}
