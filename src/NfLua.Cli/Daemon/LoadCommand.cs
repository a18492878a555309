using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.CommandLine;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl load NAME SCRIPT --queue N [limits]</c>.</summary>
internal static class LoadCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var name = new Argument<string>("NAME") { Description = "the rule's name, unique in the daemon; an existing rule of this name is replaced atomically" };
        var script = new Argument<string>("SCRIPT") { Description = "the Lua script defining filter(pkt); read here and sent to the daemon" };
        var queue = new Option<ushort>("--queue", "-q")
        {
            Description = "the NFQUEUE number the rule filters (0 to 65535)",
            HelpName = "N",
            Required = true,
            CustomParser = QueueNumberParser.ParseOne,
        };
        var limits = new RuleLimitOptions();
        var compileLimits = new CompileLimitOptions();
        var parameters = new ParamOptions();
        var noPersist = new Option<bool>("--no-persist") { Description = "load the rule for this run of the daemon only: it is not restored after a restart" };
        var monitor = new Option<bool>("--monitor") { Description = "load the rule in monitor mode: it runs and is counted, but its verdicts are not applied (nflua-ctl enforce NAME makes them count)" };
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "load",
            """
            Compile SCRIPT into rule NAME on queue N, after that queue's other rules (or in place of the rule called NAME;
            a rule called NAME on other queues moves to queue N). The rule is kept across restarts unless --no-persist.
            Compile errors are printed as file:line: message (exit code 1). The rule sees --param and --params values as
            nflua.params. A script (with its parameters) may be up to 16 MiB: larger ones are refused here.
            Example: nflua-ctl load ssh-banner /etc/nflua/ssh-banner.lua --queue 0 --on-error accept
            Example: nflua-ctl load ssh-guard ssh-guard.lua --queue 0 --param port=22 --param mode=strict
            """)
        {
            name, script, queue,
        };
        limits.AddTo(command);
        compileLimits.AddTo(command);
        parameters.AddTo(command);
        command.Options.Add(noPersist);
        command.Options.Add(monitor);
        command.Options.Add(json);

        globals.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(script)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                environment.Err.WriteLine($"nflua-ctl: load: cannot read the script {path}: {ex.Message}");
                return ExitCodes.InputError;
            }

            if (!parameters.TryGet(parse, out Scripting.RuleParams? given, out string? paramsError))
            {
                environment.Err.WriteLine($"nflua-ctl: load: {paramsError}");
                return ExitCodes.InputError;
            }

            var request = new LoadRequest(
                parse.GetValue(name)!,
                text,
                parse.GetValue(queue),
                path,
                parse.GetValue(limits.MaxInstructions),
                parse.GetValue(limits.MaxMemory),
                parse.GetValue(limits.OnError) switch
                {
                    "accept" => RuleFailureVerdict.Accept,
                    "drop" => RuleFailureVerdict.Drop,
                    _ => null,
                },
                parse.GetValue(noPersist),
                given is null ? null : ParamsJson.ToJson(given.Values),
                parse.GetValue(compileLimits.CompileInstructions),
                parse.GetValue(compileLimits.CompileTime),
                parse.GetValue(monitor));
            if (RequestSize.TooLarge(request, "script") is { } tooLarge)
            {
                environment.Err.WriteLine($"nflua-ctl: load: {tooLarge}");
                return ExitCodes.InputError;
            }

            return await new DaemonCall(globals, environment).RunAsync(parse, "load", request, result =>
            {
                var loaded = (LoadResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, loaded, CliJsonContext.Default.LoadResult);
                    return;
                }

                RuleInfo rule = loaded.Rule;
                if (loaded.MovedFrom is { Count: > 0 } from)
                {
                    environment.Out.WriteLine($"moved rule {rule.Name} from {RuleText.Queues(from)} to queue {Numbers.Plain(rule.Queue)}");
                }

                environment.Out.WriteLine(
                    $"{(loaded.Replaced ? "replaced" : "loaded")} rule {rule.Name} on queue {Numbers.Plain(rule.Queue)} at position {Numbers.Plain(rule.Position)} " +
                    $"(max-instructions {Numbers.Plain(rule.MaxInstructions)}, max-memory {Numbers.Bytes(rule.MaxMemory)}, on-error {RuleText.OnError(rule.OnError)})" +
                    (loaded.RuntimeOnly ? ", until the daemon restarts" : "") +
                    (rule.Mode == "monitor" ? ", in monitor mode: its verdicts are counted, not applied" : ""));
                if (loaded.Note is { } note)
                {
                    environment.Out.WriteLine("note: " + note);
                }
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
