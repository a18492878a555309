using NfLua.Fuzz;
using NfLua.Fuzz.Engine;
using NfLua.Fuzz.Targets;

// Usage: NfLua.Fuzz --target NAME|all [--inputs N] [--seed S] [--corpus DIR] [--findings DIR] [--time-bound SECONDS]
//        NfLua.Fuzz --write-seeds DIR
CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"nflua-fuzz: {ex.Message}");
    Console.Error.WriteLine("usage: NfLua.Fuzz --target NAME|all [--inputs N] [--seed S] [--corpus DIR] [--findings DIR] [--time-bound SECONDS] | --write-seeds DIR");
    return 2;
}

if (command.WriteSeedsTo is { } seedDirectory)
{
    foreach (string name in FuzzTargets.Names)
    {
        IFuzzTarget target = FuzzTargets.Create(name);
        string directory = Path.Combine(seedDirectory, name);
        Directory.CreateDirectory(directory);
        int count = 0;
        foreach (Seed seed in target.Seeds())
        {
            File.WriteAllBytes(Path.Combine(directory, seed.Name), seed.Bytes);
            count++;
        }

        Console.WriteLine($"{name}: {count} seeds in {directory}");
        (target as IDisposable)?.Dispose();
    }

    return 0;
}

int findings = 0;
foreach (string name in command.Targets)
{
    IFuzzTarget target = FuzzTargets.Create(name);
    FuzzReport report = new FuzzRunner(target, command.Options, Console.Out).Run();
    (target as IDisposable)?.Dispose();
    Console.WriteLine(report.Summary);
    findings += report.Finding is null ? 0 : 1;
}

return findings == 0 ? 0 : 1;
