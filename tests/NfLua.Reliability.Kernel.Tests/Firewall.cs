using System.Globalization;
using NfLua.Daemon.Kernel.Tests;

namespace NfLua.Reliability.Kernel.Tests;

/// <summary>The iptables rules a test adds in its namespace, removed when it ends.</summary>
internal sealed class Firewall : IDisposable
{
    private readonly List<string[]> _rules = [];

    /// <summary>Queues loopback UDP to <paramref name="port"/> (OUTPUT) to <paramref name="queue"/>; with <paramref name="bypass"/>, --queue-bypass.</summary>
    public void QueueUdp(ushort queue, int port, bool bypass = false)
    {
        string[] rule = ["OUTPUT", "-o", "lo", "-p", "udp", "--dport", port.ToString(CultureInfo.InvariantCulture),
            "-j", "NFQUEUE", "--queue-num", queue.ToString(CultureInfo.InvariantCulture), .. (bypass ? (string[])["--queue-bypass"] : [])];
        KernelEnvironment.Iptables(["-A", .. rule]);
        _rules.Add(rule);
    }

    public void Dispose()
    {
        foreach (string[] rule in _rules)
        {
            KernelEnvironment.Run("iptables", ["-w", "-D", .. rule]);
        }
    }
}
