using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>
/// A network namespace of the test's own, held by a <c>sleep</c> started under <c>unshare --net</c>: commands run in
/// it through <c>nsenter --net=/proc/PID/ns/net</c>. Nothing is named in /run/netns (the tier shares the host's
/// mounts): when the holder is killed the namespace goes, with the interfaces moved into it (and their veth peers).
/// </summary>
internal sealed class PrivateNamespace : IDisposable
{
    private readonly Process _holder;

    private PrivateNamespace(Process holder) => _holder = holder;

    public int Pid => _holder.Id;

    /// <summary>Starts the holder and waits until it is in a namespace of its own, loopback up.</summary>
    public static PrivateNamespace Start()
    {
        var psi = new ProcessStartInfo("unshare");
        foreach (string a in (string[])["--net", "--", "sleep", "600"])
        {
            psi.ArgumentList.Add(a);
        }

        var ns = new PrivateNamespace(Process.Start(psi)!);
        string ours = NamespaceOf("self");
        var clock = Stopwatch.StartNew();
        while (NamespaceOf(ns.Pid.ToString(CultureInfo.InvariantCulture)) is var theirs && (theirs == ours || theirs.Length == 0))
        {
            if (ns._holder.HasExited)
            {
                Assert.Fail($"unshare --net exited ({ns._holder.ExitCode}) before entering a namespace of its own");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "unshare --net did not enter a namespace of its own in 10 s");
            Thread.Sleep(5);
        }

        ns.Ip("link", "set", "lo", "up");
        return ns;
    }

    /// <summary>The command line that runs <paramref name="command"/> inside the namespace.</summary>
    public string[] Wrap(params string[] command) => ["nsenter", $"--net=/proc/{Pid}/ns/net", "--", .. command];

    /// <summary>Runs <c>ip ARGS</c> inside the namespace; fails the test when it fails.</summary>
    public string Ip(params string[] args) => Netns.Must(Wrap(["ip", .. args]));

    public void Dispose()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill();
        }

        _holder.WaitForExit();
        _holder.Dispose();
    }

    private static string NamespaceOf(string pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/ns/net").LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}

/// <summary>Commands and facts about the namespaces the meta tests build.</summary>
internal static class Netns
{
    /// <summary>Runs a command line; fails the test with its stderr when it exits non-zero. Returns stdout.</summary>
    public static string Must(params string[] commandLine)
    {
        var result = KernelEnvironment.Run(commandLine[0], commandLine[1..]);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', commandLine)}: exit {result.ExitCode}: {result.StdErr}");
        return result.StdOut;
    }

    /// <summary>The kernel's index of an interface, as <c>ip -j link</c> reports it (in the namespace of <paramref name="ns"/>, or the test's).</summary>
    public static int IfIndex(string name, PrivateNamespace? ns = null) => Link(name, ns).GetProperty("ifindex").GetInt32();

    /// <summary>The hardware address of an interface.</summary>
    public static string HardwareAddress(string name, PrivateNamespace? ns = null) => Link(name, ns).GetProperty("address").GetString()!;

    private static JsonElement Link(string name, PrivateNamespace? ns)
    {
        string[] command = ["ip", "-j", "link", "show", "dev", name];
        string json = Must(ns is null ? command : ns.Wrap(command));
        return JsonDocument.Parse(json).RootElement[0].Clone();
    }
}

/// <summary>
/// The observation method of the meta tests. The rule under test (<see cref="ReportRule"/>) writes every field of
/// <c>nflua.meta(pkt)</c> it saw into the UDP payload as <c>key=value;...</c> text, and the packet goes on: the
/// receiver, a python3 process in the destination namespace, prints what arrived. So each test compares the whole
/// view with the truth it set up (the sender's uid, the interfaces it created, the mark iptables set), and a failure
/// shows every field the rule saw.
/// </summary>
internal static class MetaReport
{
    /// <summary>Bytes of the datagrams the tests send (the report needs room).</summary>
    public const int DatagramSize = 256;

    public const string ReportRule = """
        -- Writes what nflua.meta(pkt) saw into the UDP payload: "hook=output;indev=nil;..."
        local report = data.layout{ text = {0, 240, 's'} }
        local fields = { "hook", "indev", "outdev", "physindev", "physoutdev", "ifindex_in", "ifindex_out",
                         "uid", "gid", "mark", "priority", "hwaddr", "gso", "len", "ct" }
        function filter(pkt)
          local payload = nflua.payload(pkt)
          if payload == nil or #payload < 240 then return true end
          local m = nflua.meta(pkt)
          local parts = {}
          for i, k in ipairs(fields) do parts[i] = k .. "=" .. tostring(m[k]) end
          payload:layout(report).text = table.concat(parts, ";")
          return true
        end
        """;

    private const string SendScript = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if int(sys.argv[3]):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_PRIORITY, int(sys.argv[3]))
        tag = sys.argv[5].encode()
        s.sendto(tag + bytes(int(sys.argv[4]) - len(tag)), (sys.argv[1], int(sys.argv[2])))
        """;

    /// <summary>Sends one datagram, <paramref name="tag"/> then zeros; <paramref name="prefix"/> runs the sender as someone else or elsewhere (setpriv, nsenter).</summary>
    public static void Send(string[] prefix, string address, int port, int priority = 0, int size = DatagramSize, string tag = "") =>
        Netns.Must([.. prefix, "/usr/bin/python3", "-c", SendScript, address, port.ToString(CultureInfo.InvariantCulture),
            priority.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture), tag]);

    /// <summary>Parses a report: field name to the value's text ("nil" when the field read nil).</summary>
    public static Dictionary<string, string> Parse(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in line.Split(';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq]] = part[(eq + 1)..];
            }
        }

        Assert.True(fields.Count == 15, $"not a report of the rule's 15 fields (did the packet pass the queue?): '{line}'");
        return fields;
    }
}

/// <summary>A python3 UDP receiver (in a namespace or in the test's own), printing each datagram's text up to its first NUL.</summary>
internal sealed class UdpReceiver : IDisposable
{
    private const string Script = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((sys.argv[1], int(sys.argv[2])))
        print("ready", flush=True)
        while True:
            d = s.recv(65535)
            print(d.split(b"\0")[0].decode("ascii", "replace"), flush=True)
        """;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];

    public UdpReceiver(PrivateNamespace? ns, string address, int port)
    {
        string[] command = ["/usr/bin/python3", "-c", Script, address, port.ToString(CultureInfo.InvariantCulture)];
        command = ns is null ? command : ns.Wrap(command);
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in command[1..])
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Add(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Add("stderr: " + e.Data);
            }
        };
        _process.BeginErrorReadLine();
        Assert.Equal("ready", Next(TimeSpan.FromSeconds(15)));
    }

    /// <summary>The next datagram's text, or null when none arrived in <paramref name="timeout"/>.</summary>
    public string? Next(TimeSpan timeout) => _lines.TryTake(out string? line, timeout) ? line : null;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        _lines.Dispose();
    }
}
