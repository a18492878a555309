using NfLua.Bench;

// Usage: NfLua.Bench [--calls N]   (default 2,000,000 calls or packets per measurement)
int calls = args.Length == 2 && args[0] == "--calls" && int.TryParse(args[1], System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0
    ? n
    : args.Length == 0 ? 2_000_000 : throw new ArgumentException("usage: NfLua.Bench [--calls N] (N a positive integer)");
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
