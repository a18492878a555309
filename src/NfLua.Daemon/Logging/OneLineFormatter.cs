using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace NfLua.Daemon.Logging;

/// <summary>
/// nfluad's log lines outside journald: one line per entry, <c>2026-12-02T15:41:26.123Z info queue 3 bound, ...</c>
/// (UTC, RFC 3339 with milliseconds; the level in syslog's words). An exception is appended on the same line as its
/// type and message; its stack trace follows, indented, only for a critical entry (a bug, not an operator's mistake).
/// </summary>
internal sealed class OneLineFormatter : ConsoleFormatter
{
    public const string FormatterName = "nfluad";

    private readonly TimeProvider _time;

    public OneLineFormatter()
        : this(TimeProvider.System)
    {
    }

    internal OneLineFormatter(TimeProvider time)
        : base(FormatterName)
    {
        _time = time;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string? message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(_time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(LevelWord(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(OneLine(message ?? string.Empty));
        if (logEntry.Exception is { } ex)
        {
            textWriter.Write(" (");
            textWriter.Write(ex.GetType().Name);
            textWriter.Write(": ");
            textWriter.Write(OneLine(ex.Message));
            textWriter.Write(')');
            if (logEntry.LogLevel == LogLevel.Critical && ex.StackTrace is { } stack)
            {
                foreach (string line in stack.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    textWriter.Write("\n    ");
                    textWriter.Write(line.Trim());
                }
            }
        }

        textWriter.Write('\n');
    }

    /// <summary>The level as syslog names it (what journalctl and operators read).</summary>
    internal static string LevelWord(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    /// <summary>A message's line breaks as "; " (a list of errors stays readable): one entry, one line, whatever a
    /// rule or an error put in it.</summary>
    internal static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\n', '\r') < 0
            ? text
            : string.Join("; ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
