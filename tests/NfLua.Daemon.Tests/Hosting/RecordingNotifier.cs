using NfLua.Daemon.Hosting;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>What nfluad told systemd, in order.</summary>
internal sealed class RecordingNotifier : IServiceNotifier
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public int Count(string state) => Messages.Count(m => m.StartsWith(state, StringComparison.Ordinal));

    public void Ready(string status) => Add("READY=1 " + status);

    public void Reloading() => Add("RELOADING=1");

    public void Stopping() => Add("STOPPING=1");

    public void Watchdog() => Add("WATCHDOG=1");

    public void Status(string status) => Add("STATUS=" + status);

    private void Add(string message)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}
