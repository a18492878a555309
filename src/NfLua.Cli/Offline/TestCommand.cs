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
        var capture = new Argument<string>("CAPTURE") { Description = "a pcap or pcapng capture (Ethernet with VLAN tags or PPPoE, raw IP, Linux cooked SLL/SLL2, BSD loopback, PPP, Cisco HDLC), e.g. from tcpdump -w" };
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
        var context = new PacketContextOptions();
        var data = new RuleDataOptions();
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "test",
            """
            Run SCRIPT on every IP packet of CAPTURE, offline (no daemon, no root), with the daemon's engine and limits,
            and print each packet's verdict and any rule failure, then a summary. Verdicts are the rule's own words: pass (on to
            the queue's next rule; accepted after the last), accept, drop, repeat, stop, queue N. Exit code 0 when it ran, whatever the
            verdicts (a capture whose last record is cut short included: the complete ones are tested, and a warning says so); 4 when
            the script does not compile, or the capture, a set's file or the parameters file cannot be read. Use it in your rules' CI.
            nflua.meta(pkt) shows what a pcapng capture says of each packet (inbound: hook input and indev; outbound: hook output
            and outdev), and what --hook, --indev, --outdev, --uid, --gid and --mark say for every packet over it.
            Example: tcpdump -i eth0 -w ssh.pcap port 22; nflua-ctl test examples/ssh-banner.lua ssh.pcap
            """)
        {
            script, capture,
        };
        limits.AddTo(command);
        command.Options.Add(maxCallTime);
        context.AddTo(command);
        data.AddTo(command);
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
            var interfaces = new CaptureInterfaces(context.Read(parse));
            (RuleEnvironment? ruleEnvironment, string? dataError) = data.Read(parse, interfaces);
            if (ruleEnvironment is null)
            {
                environment.Err.WriteLine(dataError);
                return ExitCodes.InputError;
            }

            (CaptureTestReport? report, string? error) = CaptureTest.Run(parse.GetValue(script)!, parse.GetValue(capture)!, ruleLimits, ruleEnvironment, interfaces);
            if (report is null)
            {
                environment.Err.WriteLine(error);
                return ExitCodes.InputError;
            }

            if (report.Summary.CutShort is string cut)
            {
                environment.Err.WriteLine($"nflua-ctl: test: warning: {report.Capture}: {cut}; the records before it were tested");
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
