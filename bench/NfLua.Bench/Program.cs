using NfLua.Bench;

// Usage: NfLua.Bench [--calls N] [--sets | --streams | --alerts]   (default 2,000,000 calls or packets per measurement)
//   --sets      only the set benchmarks (1,000,000-entry cidr and domain sets: load, memory, lookups from Lua)
//   --streams   only the TCP stream benchmark (the stream-based SNI rule against the per-packet one, issue 17)
//   --alerts    only the suppressed-alert A/B (a rule with and without nflua.alert, alternated in one invocation)
//   --rules     only the rules-per-queue benchmark (1, 10, 100 rules of which one applies: nflua.interest)
//   --data-ops FILE  only the data module's operations listed by FILE (bench/refs/data-ops.lua: its header is the
//               contract), one line each: data-op <ns per iteration> <name>
int calls = 2_000_000;
bool setsOnly = false, streamsOnly = false, alertsOnly = false, rulesOnly = false;
string? dataOps = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--sets")
    {
        setsOnly = true;
    }
    else if (args[i] == "--streams")
    {
        streamsOnly = true;
    }
    else if (args[i] == "--alerts")
    {
        alertsOnly = true;
    }
    else if (args[i] == "--rules")
    {
        rulesOnly = true;
    }
    else if (args[i] == "--data-ops" && i + 1 < args.Length)
    {
        dataOps = args[++i];
    }
    else if (args[i] == "--calls" && i + 1 < args.Length && int.TryParse(args[++i], System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
    {
        calls = n;
    }
    else
    {
        throw new ArgumentException("usage: NfLua.Bench [--calls N] [--sets | --streams | --alerts | --rules | --data-ops FILE] (N a positive integer)");
    }
}

if (dataOps != null)
{
    DataOpsBenchmark.Run(dataOps);
    return;
}

if (setsOnly)
{
    SetBenchmark.Run(calls);
    return;
}

if (rulesOnly)
{
    RuleCountBenchmark.Run(calls);
    return;
}

if (alertsOnly)
{
    AlertBenchmark.Run(calls);
    return;
}

if (streamsOnly)
{
    StreamBenchmark.Run(calls);
    return;
}

Console.WriteLine($"NfLua micro-benchmarks: {calls:N0} calls (packets) each, median of 5 runs, .NET {Environment.Version}, {Environment.ProcessorCount} cpus");
Console.WriteLine($"{"case",-50} {"ns/packet",10} {"managed B/packet",17}");
foreach (NetlinkBenchmark benchmark in NetlinkBenchmark.All)
{
    BenchmarkResult result = benchmark.Run(calls);
    Console.WriteLine($"{benchmark.Name,-50} {result.NanosecondsPerCall,10:F1} {result.AllocatedBytesPerCall,17:F3}");
}

foreach (FilterBenchmark benchmark in FilterBenchmark.All)
{
    BenchmarkResult result = benchmark.Run(calls);
    Console.WriteLine($"{benchmark.Name,-50} {result.NanosecondsPerCall,10:F1} {result.AllocatedBytesPerCall,17:F3}");
    benchmark.Dispose();
}

SetBenchmark.Run(calls);

Console.WriteLine();
StreamBenchmark.Run(calls);

Console.WriteLine();
RuleCountBenchmark.Run(calls);
