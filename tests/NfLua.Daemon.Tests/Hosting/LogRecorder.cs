using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Every log line of the daemon under test, formatted, with its level.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public string Text => string.Join(Environment.NewLine, Lines.Select(l => $"{l.Level}: {l.Message}"));

    public bool Contains(string text) => Lines.Any(l => l.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
