using System.CommandLine;
using NfLua.Cli.Output;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary><c>nflua-ctl set list | show NAME | add NAME VALUE... | del NAME VALUE... | load NAME [FILE]</c>.</summary>
internal static class SetCommand
{
    /// <summary>Entries <c>set show</c> prints unless --limit says otherwise.</summary>
    public const int DefaultShowLimit = 1000;

    public static Command Create(GlobalOptions globals, CliEnvironment environment)
    {
        var command = new Command(
            "set",
            """
            The named sets rules ask with nflua.set(NAME) (defined in the configuration: set { NAME, kind = ..., file = ... }).
            Changes made here (add, del, load FILE) are kept in the daemon's state directory: they survive reloads and
            restarts until set load NAME (without FILE) reads the set's file again.
            """)
        {
            List(globals, environment),
            Show(globals, environment),
            Change("add", "Add VALUEs to set NAME (all or none: one bad value changes nothing).\nExample: nflua-ctl set add bad-nets 203.0.113.0/24 2001:db8::/32", globals, environment),
            Change("del", "Remove VALUEs from set NAME (all or none: a value that is not an entry changes nothing).\nExample: nflua-ctl set del bad-nets 203.0.113.0/24", globals, environment),
            Load(globals, environment),
        };
        return command;
    }

    private static Command List(GlobalOptions globals, CliEnvironment environment)
    {
        var json = GlobalOptions.CreateJson();
        var command = new Command("list", "Show every set: its kind, entries, memory, and where its contents came from.\nExample: nflua-ctl set list") { json };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            new DaemonCall(globals, environment).RunAsync(parse, "set list", new SetListRequest(), result =>
            {
                var list = (SetListResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, list, CliJsonContext.Default.SetListResult);
                    return;
                }

                if (list.Sets.Count == 0)
                {
                    environment.Out.WriteLine("no sets defined (the configuration defines them: set { NAME, kind = ..., file = ... })");
                    return;
                }

                var table = new TextTable("SET", "KIND", "ENTRIES", "MEMORY", "MAX-MEMORY", "FROM", "FILE").AlignRight(2, 3, 4);
                foreach (SetInfo set in list.Sets)
                {
                    table.Add(set.Name, set.Kind, Numbers.Count(set.Entries), Numbers.Bytes(set.MemoryBytes), Numbers.Bytes(set.MaxMemory), set.Source, set.File);
                }

                table.WriteTo(environment.Out);
            }, cancellationToken));
        return command;
    }

    private static Command Show(GlobalOptions globals, CliEnvironment environment)
    {
        var name = new Argument<string>("SET") { Description = "the set's name" };
        var limit = new Option<int>("--limit")
        {
            Description = $"print at most N entries (default {DefaultShowLimit}; 0: all that fit in one answer)",
            HelpName = "COUNT",
            DefaultValueFactory = _ => DefaultShowLimit,
        };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--limit must be 0 or more");
            }
        });
        var json = GlobalOptions.CreateJson();
        var command = new Command("show", "Print set SET's entries, sorted (a cidr set's overlapping networks merged).\nExample: nflua-ctl set show bad-nets --limit 20") { name, limit, json };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            int most = parse.GetValue(limit);
            return new DaemonCall(globals, environment).RunAsync(parse, "set show", new SetShowRequest(parse.GetValue(name)!, most == 0 ? null : most), result =>
            {
                var shown = (SetShowResult)result;
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(environment.Out, shown, CliJsonContext.Default.SetShowResult);
                    return;
                }

                foreach (string entry in shown.Entries)
                {
                    environment.Out.WriteLine(entry);
                }

                if (shown.Truncated)
                {
                    environment.Err.WriteLine($"nflua-ctl: set show: {shown.Entries.Count} of the set's entries printed (--limit)");
                }
            }, cancellationToken);
        });
        return command;
    }

    private static Command Change(string op, string description, GlobalOptions globals, CliEnvironment environment)
    {
        var name = new Argument<string>("SET") { Description = "the set's name" };
        var values = new Argument<string[]>("VALUE") { Description = "networks, domains or strings, as the set's file holds them", Arity = ArgumentArity.OneOrMore };
        var json = GlobalOptions.CreateJson();
        var command = new Command(op, description) { name, values, json };
        globals.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            string set = parse.GetValue(name)!;
            string[] given = parse.GetValue(values)!;
            ControlCommand request = op == "add" ? new SetAddRequest(set, given) : new SetDelRequest(set, given);
            return new DaemonCall(globals, environment).RunAsync(parse, "set " + op, request, result =>
                Render((SetChangeResult)result, op == "add" ? "added" : "removed", parse.GetValue(json), environment), cancellationToken);
        });
        return command;
    }

    private static Command Load(GlobalOptions globals, CliEnvironment environment)
    {
        var name = new Argument<string>("SET") { Description = "the set's name" };
        var file = new Argument<string?>("FILE")
        {
            Description = "a set file (one entry per line, # comments), read here and sent; none: the set's configured file, read again by the daemon",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = GlobalOptions.CreateJson();
        var command = new Command(
            "load",
            """
            Replace set SET's contents with FILE's, atomically (a packet sees the old set or the new one); a malformed line
            is refused as file:line: message and changes nothing. Without FILE, the set's configured file is read again and
            the changes made with nflua-ctl are forgotten.
            Example: nflua-ctl set load bad-nets /etc/nflua/lists/bad-nets.txt
            """)
        {
            name, file, json,
        };
        globals.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string set = parse.GetValue(name)!;
            string? path = parse.GetValue(file);
            string? text = null;
            if (path is not null)
            {
                try
                {
                    text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    environment.Err.WriteLine($"nflua-ctl: set load: cannot read the set file {path}: {ex.Message}");
                    return ExitCodes.InputError;
                }
            }

            var request = new SetLoadRequest(set, text, path);
            if (RequestSize.TooLarge(request, "set file") is { } tooLarge)
            {
                environment.Err.WriteLine($"nflua-ctl: set load: {tooLarge}");
                return ExitCodes.InputError;
            }

            return await new DaemonCall(globals, environment).RunAsync(parse, "set load", request, result =>
                Render((SetChangeResult)result, "loaded", parse.GetValue(json), environment), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static void Render(SetChangeResult result, string verb, bool json, CliEnvironment environment)
    {
        if (json)
        {
            JsonOutput.Write(environment.Out, result, CliJsonContext.Default.SetChangeResult);
            return;
        }

        SetInfo set = result.Set;
        string what = verb == "loaded" ? $"loaded set {set.Name} from {(result.Persisted ? "the given file" : set.File)}" : $"{verb} {Numbers.Count(result.Changed)} entr{(result.Changed == 1 ? "y" : "ies")} {(verb == "added" ? "to" : "from")} set {set.Name}";
        environment.Out.WriteLine(
            $"{what}: {Numbers.Count(set.Entries)} entries, {Numbers.Bytes(set.MemoryBytes)}" +
            (result.Persisted ? " (kept across restarts; set load " + set.Name + " reads its file again)" : ""));
    }
}
