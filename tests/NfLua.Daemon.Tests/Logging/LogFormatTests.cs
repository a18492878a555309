using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NfLua.Daemon.Logging;

namespace NfLua.Daemon.Tests.Logging;

/// <summary>Logs fit for operators: one line with a timestamp outside journald, structured fields in it.</summary>
public sealed class LogFormatTests
{
    private static readonly Action<ILogger, int, string, string, Exception?> s_ruleEvent =
        LoggerMessage.Define<int, string, string>(LogLevel.Warning, new EventId(4242, "RuleEvent"), "queue {Queue} rule {Rule}: {What}");

    [Fact]
    public void Console_OneLinePerEntry_WithAUtcTimestampAndTheLevel()
    {
        var formatter = new OneLineFormatter(new FixedTime(new DateTimeOffset(2026, 12, 2, 15, 41, 26, 123, TimeSpan.FromHours(2))));
        var output = new StringWriter();

        Write(formatter, output, LogLevel.Warning, "queue 3 rule x: errors\nline two\r\nline three", null);
        Write(formatter, output, LogLevel.Error, "reload refused", new InvalidOperationException("bad\nthing"));

        Assert.Equal(
            "2026-12-02T13:41:26.123Z warning queue 3 rule x: errors; line two; line three\n" +
            "2026-12-02T13:41:26.123Z error reload refused (InvalidOperationException: bad; thing)\n",
            output.ToString());
    }

    [Fact]
    public void Console_CriticalEntries_KeepTheirStackTraceIndented()
    {
        var formatter = new OneLineFormatter(new FixedTime(DateTimeOffset.UnixEpoch));
        var output = new StringWriter();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("bug");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        Write(formatter, output, LogLevel.Critical, "a batch failed", thrown);

        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal("1970-01-01T00:00:00.000Z critical a batch failed (InvalidOperationException: bug)", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    at ", l, StringComparison.Ordinal));
        Assert.True(lines.Length > 1);
    }

    [Fact]
    public void Journal_EntriesCarryTheTemplatesValuesAsFields()
    {
        string directory = Directory.CreateTempSubdirectory("nflua-journal-").FullName;
        try
        {
            string path = Path.Combine(directory, "socket");
            using var journal = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            journal.Bind(new UnixDomainSocketEndPoint(path));
            journal.ReceiveTimeout = 5000;
            using var provider = new JournalLoggerProvider(path, TextWriter.Null);
            ILogger logger = provider.CreateLogger("NfLua.Rules.ssh-banner");

            s_ruleEvent(logger, 3, "ssh-banner", "one\ntwo", null);

            Dictionary<string, string> fields = Parse(Receive(journal));
            Assert.Equal("queue 3 rule ssh-banner: one\ntwo", fields["MESSAGE"]); // a line break: the binary form
            Assert.Equal("4", fields["PRIORITY"]);
            Assert.Equal("nfluad", fields["SYSLOG_IDENTIFIER"]);
            Assert.Equal("4242", fields["NFLUA_EVENT_ID"]);
            Assert.Equal("3", fields["QUEUE"]);
            Assert.Equal("ssh-banner", fields["RULE"]);
            Assert.Equal("NfLua.Rules.ssh-banner", fields["NFLUA_CATEGORY"]);
            Assert.DoesNotContain(fields.Keys, k => k.Contains("ORIGINAL", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Journal_NotUsed_UnlessStderrIsTheJournalsStream()
    {
        Assert.False(JournalLoggerProvider.StderrIsTheJournal(_ => null));
        Assert.False(JournalLoggerProvider.StderrIsTheJournal(_ => "8:12345", "/nonexistent/journal/socket"));
        // Our stderr here is not the socket JOURNAL_STREAM names (a shell started from a unit that redirected it).
        Assert.False(JournalLoggerProvider.StderrIsTheJournal(_ => "8:1", "/proc/self/exe"));
    }

    [Theory]
    [InlineData("Queue", "QUEUE")]
    [InlineData("MeanMicroseconds", "MEANMICROSECONDS")]
    [InlineData("rule-name", "RULE_NAME")]
    [InlineData("_hidden", "HIDDEN")]
    [InlineData("9lives", "LIVES")]
    [InlineData("{}", null)]
    public void Journal_FieldNames_AreWhatJournaldAccepts(string name, string? field)
    {
        Assert.Equal(field, JournalLoggerProvider.FieldName(name));
    }

    private static void Write(OneLineFormatter formatter, TextWriter output, LogLevel level, string message, Exception? exception) =>
        formatter.Write(new LogEntry<string>(level, "test", default, message, exception, (m, _) => m), null, output);

    private static byte[] Receive(Socket journal)
    {
        var buffer = new byte[65536];
        int n = journal.Receive(buffer);
        return buffer[..n];
    }

    // The native protocol: KEY=value\n, or KEY\n + 64-bit little-endian length + value + \n.
    private static Dictionary<string, string> Parse(byte[] datagram)
    {
        var fields = new Dictionary<string, string>();
        int i = 0;
        while (i < datagram.Length)
        {
            int end = Array.IndexOf(datagram, (byte)'\n', i);
            int eq = Array.IndexOf(datagram, (byte)'=', i, end - i);
            if (eq >= 0)
            {
                fields[Encoding.ASCII.GetString(datagram, i, eq - i)] = Encoding.UTF8.GetString(datagram, eq + 1, end - eq - 1);
                i = end + 1;
            }
            else
            {
                string name = Encoding.ASCII.GetString(datagram, i, end - i);
                int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(datagram.AsSpan(end + 1, 8));
                fields[name] = Encoding.UTF8.GetString(datagram, end + 9, length);
                Assert.Equal((byte)'\n', datagram[end + 9 + length]);
                i = end + 10 + length;
            }
        }

        return fields;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
