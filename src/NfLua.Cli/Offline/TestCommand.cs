using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Lua.Native;
using NfLua.Scripting;

namespace NfLua.Cli.Offline;

/// <summary><c>nflua-ctl test SCRIPT CAPTURE</c>: the rule on a capture, offline.</summary>
internal static class TestCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var script = new Argument<string>("SCRIPT") { Description = "the Lua rule script defining filter(pkt)" };
        var capture = new Argument<string>("CAPTURE") { Description = "a pcap or pcapng capture (Ethernet, raw IP, Linux cooked SLL/SLL2), e.g. from tcpdump -w" };
        var limits = new RuleLimitOptions();
        var maxCallTime = new Option<int?>("--max-call-time")
        {
            HelpName = "MS",
            Description = "wall-clock milliseconds allowed per filter call (1 to 10000; default: the daemon's, 20); raise it on a busy CI machine, where a descheduled call would otherwise hit the limit",
        };
        maxCallTime.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int ms && ms is < 1 or > 10_000)
            {
                result.AddError($"--max-call-time must be between 1 and 10000, not {ms}");
            }
        });
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "test",
            """
            Run SCRIPT on every IP packet of CAPTURE, offline (no daemon, no root), with the daemon's engine and limits,
            and print each packet's verdict and any rule failure, then a summary. Verdicts are the rule's own words: pass (on to
            the queue's next rule; accepted after the last), accept, drop, repeat, stop, queue N. Exit code 0 when it ran, whatever the
            verdicts; 4 when the script does not compile or the capture cannot be read. Use it in your rules' CI.
            Example: tcpdump -i eth0 -w ssh.pcap port 22; nflua-ctl test examples/ssh-banner.lua ssh.pcap
            """)
        {
            script, capture,
        };
        limits.AddTo(command);
        command.Options.Add(maxCallTime);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            try
            {
                LuaRuntimeCheck.EnsureIntegerLua();
            }
            catch (InvalidOperationException ex)
            {
                environment.Err.WriteLine("nflua-ctl: test: " + ex.Message);
                return ExitCodes.DaemonError;
            }

            var ruleLimits = new RuleLimits
            {
                MaxInstructions = parse.GetValue(limits.MaxInstructions) ?? RuleLimits.DefaultMaxInstructions,
                MaxMemoryBytes = parse.GetValue(limits.MaxMemory) ?? RuleLimits.DefaultMaxMemoryBytes,
                OnError = parse.GetValue(limits.OnError) == "drop" ? ErrorVerdict.Drop : ErrorVerdict.Accept,
                MaxCallTime = parse.GetValue(maxCallTime) is int ms ? TimeSpan.FromMilliseconds(ms) : RuleLimits.DefaultMaxCallTime,
            };
            (CaptureTestReport? report, string? error) = CaptureTest.Run(parse.GetValue(script)!, parse.GetValue(capture)!, ruleLimits);
            if (report is null)
            {
                environment.Err.WriteLine(error);
                return ExitCodes.InputError;
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(environment.Out, report, CliJsonContext.Default.CaptureTestReport);
            }
            else
            {
                CaptureTestText.Write(report, environment.Out);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
