using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace NfLua.Daemon.Logging;

/// <summary>
/// Writes log entries to journald over its native protocol (one datagram per entry on
/// <c>/run/systemd/journal/socket</c>), with structured fields: <c>MESSAGE</c>, <c>PRIORITY</c>,
/// <c>SYSLOG_IDENTIFIER=nfluad</c>, <c>NFLUA_EVENT_ID</c>, and every named value of the entry's message template in
/// upper case (<c>QUEUE=3</c>, <c>RULE=ssh-banner</c>), so that <c>journalctl -u nfluad RULE=ssh-banner</c> finds a
/// rule's entries. An entry the journal does not take (its socket gone, a datagram too large) goes to stderr as one line.
/// </summary>
internal sealed class JournalLoggerProvider : ILoggerProvider
{
    /// <summary>journald's socket for the native protocol.</summary>
    public const string DefaultSocketPath = "/run/systemd/journal/socket";

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _journal;
    private readonly TextWriter _fallback;
    private readonly ConcurrentDictionary<string, JournalLogger> _loggers = new();

    public JournalLoggerProvider(string socketPath, TextWriter fallback)
    {
        _journal = new UnixDomainSocketEndPoint(socketPath);
        _fallback = fallback;
    }

    /// <summary>
    /// True when systemd connected stderr to the journal: <c>$JOURNAL_STREAM</c> ("device:inode") names the socket
    /// stderr still is (a shell started from a unit may have redirected it), and the native socket exists.
    /// </summary>
    public static bool StderrIsTheJournal(Func<string, string?> environment, string socketPath = DefaultSocketPath)
    {
        string? stream = environment("JOURNAL_STREAM");
        int colon = stream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0 || !File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            // /proc/self/fd/2 reads "socket:[INODE]" when stderr is a socket.
            string? target = new FileInfo("/proc/self/fd/2").LinkTarget;
            return target is not null && target == $"socket:[{stream![(colon + 1)..]}]";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new JournalLogger(this, name));

    public void Dispose() => _socket.Dispose();

    /// <summary>syslog priorities, as journald files them.</summary>
    internal static int Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    /// <summary>A template's name as a journal field: upper case, letters, digits and underscores, not starting with
    /// an underscore or a digit (fields starting with an underscore are journald's own); null when nothing is left.</summary>
    internal static string? FieldName(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                b.Append(char.ToUpperInvariant(c));
            }
            else if (b.Length > 0)
            {
                b.Append('_');
            }
        }

        while (b.Length > 0 && char.IsAsciiDigit(b[0]))
        {
            b.Remove(0, 1);
        }

        return b.Length == 0 || b.Length > 64 ? null : b.ToString();
    }

    private void Send(LogLevel level, EventId eventId, string message, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var datagram = new MemoryStream(256);
        Field(datagram, "MESSAGE", message);
        Field(datagram, "PRIORITY", Priority(level).ToString(CultureInfo.InvariantCulture));
        Field(datagram, "SYSLOG_IDENTIFIER", "nfluad");
        if (eventId.Id != 0)
        {
            Field(datagram, "NFLUA_EVENT_ID", eventId.Id.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in fields)
        {
            if (key == "{OriginalFormat}" || value is null || FieldName(key) is not { } name ||
                name is "MESSAGE" or "PRIORITY" or "SYSLOG_IDENTIFIER" or "NFLUA_EVENT_ID")
            {
                continue;
            }

            Field(datagram, name, value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString() ?? string.Empty);
        }

        try
        {
            _socket.SendTo(datagram.GetBuffer().AsSpan(0, (int)datagram.Length), SocketFlags.None, _journal);
        }
        catch (SocketException)
        {
            lock (_fallback)
            {
                _fallback.WriteLine($"nfluad {OneLineFormatter.LevelWord(level)} {OneLineFormatter.OneLine(message)}");
            }
        }
    }

    // KEY=value\n, or for a value with a line break KEY\n + its length (64-bit little-endian) + value + \n.
    private static void Field(MemoryStream datagram, string name, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        datagram.Write(Encoding.ASCII.GetBytes(name));
        if (Array.IndexOf(bytes, (byte)'\n') < 0)
        {
            datagram.WriteByte((byte)'=');
            datagram.Write(bytes);
        }
        else
        {
            datagram.WriteByte((byte)'\n');
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
            datagram.Write(length);
            datagram.Write(bytes);
        }

        datagram.WriteByte((byte)'\n');
    }

    private sealed class JournalLogger(JournalLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null)
            {
                message += $" ({exception.GetType().Name}: {exception.Message})";
                if (logLevel == LogLevel.Critical)
                {
                    message += "\n" + exception.StackTrace;
                }
            }

            IEnumerable<KeyValuePair<string, object?>> fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            provider.Send(logLevel, eventId, message, [.. fields, new("NFLUA_CATEGORY", category)]);
        }
    }
}
