using NfLua.Control;
using NfLua.Engine;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Rules loaded with nflua-ctl survive a restart (the state file), unless loaded --no-persist.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("nfluad-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task LoadedRules_AreRestoredAfterARestart_WithTheirQueuesAndLimits_AndRuntimeOnlyOnesAreNot()
    {
        await using (var first = DaemonHarness.Create("queue { 1, rule { \"configured\", script = \"pass.lua\" } }", Scripts.Files, _state))
        {
            await first.StartAsync();
            await first.OkAsync<LoadResult>(new LoadRequest("kept", Scripts.Drop, 7, "/srv/kept.lua", MaxInstructions: 5000, OnError: RuleFailureVerdict.Drop));
            await first.OkAsync<LoadResult>(new LoadRequest("moved", Scripts.Drop, 8));
            await first.OkAsync<LoadResult>(new LoadRequest("moved", Scripts.Accept, 1)); // the state follows it
            LoadResult runtimeOnly = await first.OkAsync<LoadResult>(new LoadRequest("for-now", Scripts.Drop, 9, NoPersist: true));
            await first.OkAsync<LoadResult>(new LoadRequest("gone", Scripts.Drop, 7));
            await first.OkAsync<UnloadResult>(new UnloadRequest("gone"));
            Assert.True(runtimeOnly.RuntimeOnly);
            Assert.Equal("nflua-ctl, runtime only", (await first.ListAsync()).Single(r => r.Name == "for-now").Origin);
        }

        await using var second = DaemonHarness.Create("queue { 1, rule { \"configured\", script = \"pass.lua\" } }", Scripts.Files, _state);
        await second.StartAsync();

        IReadOnlyList<RuleInfo> rules = await second.ListAsync();
        Assert.Equal(["configured", "moved", "kept"], rules.Select(r => r.Name));
        RuleInfo kept = rules.Single(r => r.Name == "kept");
        Assert.Equal((7, 5000L, RuleFailureVerdict.Drop, "/srv/kept.lua", "nflua-ctl"), (kept.Queue, kept.MaxInstructions, kept.OnError, kept.ScriptPath, kept.Origin));
        Assert.Equal(1, rules.Single(r => r.Name == "moved").Queue);
        Assert.Equal(DecisionKind.Drop, DaemonHarness.Judge(second.Channels.Bound(7))[0]);
        Assert.Equal(DecisionKind.Accept, DaemonHarness.Judge(second.Channels.Bound(1))[0]); // configured passes, moved accepts
        Assert.False(second.Channels.IsBound(8));
        Assert.False(second.Channels.IsBound(9));
        Assert.True(second.Logs.Contains("restored 2 of 2 loaded rule(s)"), second.Logs.Text);
    }

    [Fact]
    public async Task ACorruptStateFile_IsReported_KeptAside_AndTheDaemonStartsWithItsConfiguration()
    {
        File.WriteAllText(Path.Combine(_state, "rules.json"), "{ \"version\": 1, \"rules\": [ { \"name\": ");
        await using var daemon = DaemonHarness.Create("queue { 1, rule { \"configured\", script = \"drop.lua\" } }", Scripts.Files, _state);

        await daemon.StartAsync();

        Assert.Equal(["configured"], (await daemon.ListAsync()).Select(r => r.Name));
        Assert.True(daemon.Logs.Contains("cannot be used, no loaded rule was restored: it is not a state file"), daemon.Logs.Text);
        Assert.Equal("{ \"version\": 1, \"rules\": [ { \"name\": ", File.ReadAllText(Path.Combine(_state, "rules.json.rejected")));
        Assert.Equal(1, daemon.Notifier.Count("READY=1"));
    }

    [Fact]
    public async Task AStateFileWithSomeBadRules_RestoresTheOthers_AndNamesWhatWasSkipped()
    {
        await using (var first = DaemonHarness.Create("", Scripts.Files, _state))
        {
            await first.StartAsync();
            await first.OkAsync<LoadResult>(new LoadRequest("good", Scripts.Drop, 3));
            await first.OkAsync<LoadResult>(new LoadRequest("clash", Scripts.Drop, 3));
            await first.OkAsync<LoadResult>(new LoadRequest("broken", "function filter(pkt) return false end -- to break", 3));
        }

        string file = Path.Combine(_state, "rules.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("return false end -- to break", "return ( end", StringComparison.Ordinal)); // no longer compiles
        await using var second = DaemonHarness.Create("queue { 4, rule { \"clash\", script = \"pass.lua\" } }", Scripts.Files, _state);
        await second.StartAsync();

        Assert.Equal(["clash", "good"], (await second.ListAsync()).Select(r => r.Name).Order());
        Assert.Equal(4, (await second.ListAsync()).Single(r => r.Name == "clash").Queue); // the configuration's
        Assert.True(second.Logs.Contains("rule 'broken' skipped: broken.lua:1:"), second.Logs.Text);
        Assert.True(second.Logs.Contains("rule 'clash' skipped: the configuration defines a rule of that name"), second.Logs.Text);
        Assert.True(File.Exists(file + ".rejected"));
    }

    [Fact]
    public async Task ALoadWhoseStateCannotBeWritten_IsRefused_AndChangesNothing()
    {
        await using var daemon = DaemonHarness.Create("", Scripts.Files, Path.Combine(_state, "not-a-directory"));
        File.WriteAllText(Path.Combine(_state, "not-a-directory"), "a file where the state directory should be");
        await daemon.StartAsync();

        string message = await daemon.RefusedAsync(new LoadRequest("r", Scripts.Drop, 5), ControlErrorName.Unavailable);

        Assert.Contains("cannot write the state file", message, StringComparison.Ordinal);
        Assert.Contains("--no-persist", message, StringComparison.Ordinal);
        Assert.Empty(await daemon.ListAsync());
        Assert.False(daemon.Channels.IsBound(5)); // bound for the load, unbound when it was refused
        Assert.True((await daemon.OkAsync<LoadResult>(new LoadRequest("r", Scripts.Drop, 5, NoPersist: true))).RuntimeOnly);
    }
}
