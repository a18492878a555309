using NfLua.Bench;

// Usage: NfLua.Bench [--calls N]   (default 2,000,000 calls per measurement)
int calls = args.Length == 2 && args[0] == "--calls" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
Console.WriteLine($"NfLua micro-benchmarks: {calls:N0} calls each, median of 5 runs, .NET {Environment.Version}, {Environment.ProcessorCount} cpus");
Console.WriteLine($"{"case",-40} {"ns/call",10} {"managed B/call",15}");
foreach (FilterBenchmark benchmark in FilterBenchmark.All)
{
    BenchmarkResult result = benchmark.Run(calls);
    Console.WriteLine($"{benchmark.Name,-40} {result.NanosecondsPerCall,10:F1} {result.AllocatedBytesPerCall,15:F3}");
    benchmark.Dispose();
}
