using System.Diagnostics;
using System.Security.Cryptography;

namespace NfLua.Fuzz.Engine;

/// <summary>
/// Runs one target: every seed as is, then inputs that are one in eight generated from scratch and otherwise
/// mutations of the pool (seeds, plus well-formed inputs found on the way). Stops at the first finding and writes
/// its reproducer. A watchdog ends the process when one input runs past the time bound, after writing it out.
/// </summary>
internal sealed class FuzzRunner(IFuzzTarget target, FuzzOptions options, TextWriter log)
{
    private const int MaxPool = 1024;
    private volatile byte[]? _current;
    private long _started;

    public FuzzReport Run()
    {
        Directory.CreateDirectory(options.FindingsDirectory);
        var random = new Random(options.Seed ^ StableHash(target.Name));
        var mutator = new Mutator(target.Dictionary, options.MaxInputLength);
        List<byte[]> pool = [.. target.Seeds().Select(s => s.Bytes), .. ExtraCorpus()];
        int seedCount = pool.Count;
        long accepted = 0;
        var clock = Stopwatch.StartNew();
        string inflightPath = Path.Combine(options.FindingsDirectory, $".inflight-{target.Name}");
        if (File.Exists(inflightPath))
        {
            // Only a process that died leaves this file behind: what it held is the input that killed it.
            string died = WriteFinding(InflightInput.ReadLeftOver(inflightPath), "died", "the previous run of this target died (a native crash or abort) on this input");
            File.Delete(inflightPath);
            return new FuzzReport(target.Name, 0, 0, TimeSpan.Zero, died, "the previous run died");
        }

        using var inflight = new InflightInput(inflightPath, options.MaxInputLength + 65536);
        using var watchdog = StartWatchdog();
        for (long i = 0; i < options.Inputs; i++)
        {
            byte[] input = i < seedCount ? pool[(int)i]
                : i % 8 == 0 ? target.Generate(random)
                : mutator.Mutate(random, pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]);
            inflight.Record(input);
            _current = input;
            Interlocked.Exchange(ref _started, Stopwatch.GetTimestamp());
            try
            {
                if (target.Check(input))
                {
                    accepted++;
                    if (i >= seedCount && pool.Count < MaxPool && random.Next(16) == 0)
                    {
                        pool.Add(input);
                    }
                }
            }
            catch (Exception ex)
            {
                _current = null;
                string what = ex is InvariantViolationException ? ex.Message : $"unexpected {ex.GetType().Name}: {ex.Message}";
                string file = WriteFinding(input, "crash", ex.ToString());
                return new FuzzReport(target.Name, i + 1, accepted, clock.Elapsed, file, what);
            }

            _current = null;
            if ((i + 1) % 200_000 == 0)
            {
                log.WriteLine($"  {target.Name}: {i + 1:N0} inputs, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }

        return new FuzzReport(target.Name, options.Inputs, accepted, clock.Elapsed, null, null);
    }

    private IEnumerable<byte[]> ExtraCorpus() =>
        options.CorpusDirectories
            .Select(d => Path.Combine(d, target.Name))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal))
            .Select(File.ReadAllBytes);

    private string WriteFinding(byte[] input, string kind, string details)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(input))[..12];
        string path = Path.Combine(options.FindingsDirectory, $"{target.Name}-{kind}-{hash}.bin");
        File.WriteAllBytes(path, input);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"), details + Environment.NewLine);
        return path;
    }

    private Watchdog StartWatchdog()
    {
        var stop = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            while (!stop.Wait(250))
            {
                byte[]? current = _current;
                long started = Interlocked.Read(ref _started);
                if (current is not null && Stopwatch.GetElapsedTime(started) > options.TimeBound && ReferenceEquals(current, _current))
                {
                    string file = WriteFinding(current, "hang", $"one input ran longer than {options.TimeBound.TotalSeconds} s");
                    log.WriteLine($"{target.Name}: FINDING: hang (reproducer {file})");
                    log.Flush();
                    Environment.Exit(3);
                }
            }
        })
        { IsBackground = true, Name = "fuzz watchdog" };
        thread.Start();
        return new Watchdog(stop, thread);
    }

    /// <summary>Stops the watchdog thread and waits for it, so that it never sees a disposed event.</summary>
    private sealed class Watchdog(ManualResetEventSlim stop, Thread thread) : IDisposable
    {
        public void Dispose()
        {
            stop.Set();
            thread.Join();
            stop.Dispose();
        }
    }

    /// <summary>A hash that is the same in every process (string.GetHashCode is randomised per process).</summary>
    internal static int StableHash(string text)
    {
        int hash = 17;
        foreach (char c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
