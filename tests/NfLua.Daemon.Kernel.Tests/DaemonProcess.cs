using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace NfLua.Daemon.Kernel.Tests;

/// <summary>An nfluad started by a test: its own directory, configuration, control socket and NOTIFY_SOCKET.</summary>
internal sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Socket _notify;
    private readonly List<string> _notifications = [];

    private readonly Thread _notifyReader;
    private volatile bool _disposed;

    private DaemonProcess(string directory, Process process, Socket notify)
    {
        Directory = directory;
        _process = process;
        _notify = notify;
        // Read sd_notify messages as systemd does, at once: a full datagram queue would block nfluad.
        _notifyReader = new Thread(ReadNotifications) { IsBackground = true };
        _notifyReader.Start();
    }

    private void ReadNotifications()
    {
        byte[] buffer = new byte[4096];
        while (!_disposed)
        {
            try
            {
                int n = _notify.Receive(buffer);
                lock (_notifications)
                {
                    _notifications.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "nfluad.lua");

    public string SocketPath => Path.Combine(Directory, "nflua.sock");

    /// <summary>Sends one control request, as nflua-ctl does.</summary>
    public async Task<NfLua.Control.ControlResponse> ControlAsync(NfLua.Control.ControlCommand command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return (await NfLua.Control.ControlClient.ExchangeAsync(SocketPath, [command], timeout.Token)).Single();
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Writes the configuration and scripts, starts nfluad with --config.</summary>
    public static DaemonProcess Start(string config, IDictionary<string, string>? scripts = null, params string[] extraArgs) =>
        Start(config, scripts, new Dictionary<string, string>(), extraArgs);

    /// <summary>As <see cref="Start(string, IDictionary{string, string}?, string[])"/>, with extra environment variables.</summary>
    public static DaemonProcess Start(string config, IDictionary<string, string>? scripts, IDictionary<string, string> environment, params string[] extraArgs)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("nfluad-test-").FullName;
        File.WriteAllText(Path.Combine(dir, "nfluad.lua"), config);
        foreach (var (name, text) in scripts ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(dir, name), text);
        }

        var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        string notifyPath = Path.Combine(dir, "notify.sock");
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        notify.ReceiveTimeout = 100;

        var psi = new ProcessStartInfo(KernelEnvironment.Nfluad) { RedirectStandardError = true, RedirectStandardOutput = true };
        // A socket and a state directory of its own unless the test gives them (a restart, a second daemon): never
        // the machine's /run/nflua or /var/lib/nflua.
        string[] socket = extraArgs.Contains("--socket") ? [] : ["--socket", Path.Combine(dir, "nflua.sock")];
        string[] state = extraArgs.Contains("--state-dir") ? [] : ["--state-dir", Path.Combine(dir, "state")];
        foreach (string a in (string[])["--config", Path.Combine(dir, "nfluad.lua"), .. socket, .. state, .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NOTIFY_SOCKET"] = notifyPath;
        foreach (var (key, value) in KernelEnvironment.UnitEnvironment.Concat(environment))
        {
            psi.Environment[key] = value;
        }

        var process = Process.Start(psi)!;
        var daemon = new DaemonProcess(dir, process, notify);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (daemon._stderr)
                {
                    daemon._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return daemon;
    }

    /// <summary>Waits for a sd_notify message containing <paramref name="state"/> (e.g. READY=1).</summary>
    public bool WaitForNotification(string state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_notifications)
            {
                if (_notifications.Any(n => n.Contains(state, StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            Thread.Sleep(20);
        }

        return false;
    }

    public IReadOnlyList<string> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return [.. _notifications];
            }
        }
    }

    public void Signal(string signal) =>
        Assert.Equal(0, KernelEnvironment.Run("kill", "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
        }

        Assert.True(_process.WaitForExit(timeout), "nfluad did not stop after SIGTERM");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for the exit, then for the end of its output: the timed wait alone returns before the last
    /// lines of stderr have been read (a refusal printed just before exiting would be missed).</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _disposed = true;
        _notify.Dispose();
        _notifyReader.Join();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
