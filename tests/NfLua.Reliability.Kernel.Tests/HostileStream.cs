namespace NfLua.Reliability.Kernel.Tests;

/// <summary>Hostile packets one after another through a queue whose rule fails on each (on_error accept), on a thread of its own.</summary>
internal sealed class HostileStream : IDisposable
{
    private readonly UdpProbe _probe;
    private readonly Thread _thread;
    private volatile bool _running = true;
    private long _answered;

    public HostileStream(int port, int? cpu = null)
    {
        _probe = new UdpProbe(port);
        _thread = new Thread(() =>
        {
            if (cpu is { } c)
            {
                ThreadAffinity.Pin(c);
            }

            while (_running)
            {
                if (_probe.Passes(TimeSpan.FromSeconds(2)))
                {
                    Interlocked.Increment(ref _answered);
                }
            }
        }) { IsBackground = true, Name = "hostile-stream" };
        _thread.Start();
    }

    /// <summary>Stops the stream; returns how many hostile packets were answered.</summary>
    public long Stop()
    {
        _running = false;
        _thread.Join();
        return Interlocked.Read(ref _answered);
    }

    public void Dispose()
    {
        if (_running)
        {
            Stop();
        }

        _probe.Dispose();
    }
}
