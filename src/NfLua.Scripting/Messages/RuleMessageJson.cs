using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NfLua.Packets;

namespace NfLua.Scripting.Messages;

/// <summary>
/// A rule's message as the event log writes it: one JSON object (key order fixed) with <c>time</c> (RFC 3339, UTC),
/// <c>type</c> (<c>alert</c>, <c>rule_failure</c>, <c>limit</c>), the rule and its queue, the packet's hook,
/// interfaces, protocol, addresses and ports, the verdict the packet finally got and the rule's own, the message, and an
/// alert's fields. A log line is text: the rule, its queue, the 5-tuple and the message.
/// </summary>
public static class RuleMessageJson
{
    /// <summary>Options every event writer uses: readable non-ASCII, nothing indented.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The event's type name.</summary>
    public static string TypeName(RuleMessageKind kind) => kind switch
    {
        RuleMessageKind.Alert => "alert",
        RuleMessageKind.Failure => "rule_failure",
        RuleMessageKind.Limit => "limit",
        _ => "log",
    };

    /// <summary>
    /// A storm's tail as one line of JSON: <c>{"time", "type":"suppressed", "rule", "queue", "channel", "suppressed"}</c>,
    /// the messages of <paramref name="kind"/>'s channel (<c>alert</c>, <c>log</c>, <c>rule_failure</c>) refused and
    /// carried by no later message.
    /// </summary>
    public static string SuppressedJson(string rule, int queue, RuleMessageKind kind, long count, long utcTicks)
    {
        using var stream = new MemoryStream(192);
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", Time(utcTicks));
            writer.WriteString("type", "suppressed");
            writer.WriteString("rule", rule);
            writer.WriteNumber("queue", queue);
            writer.WriteString("channel", TypeName(kind));
            writer.WriteNumber("suppressed", count);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>RFC 3339 UTC with microseconds.</summary>
    public static string Time(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The event as one line of JSON (no line end).</summary>
    public static string ToJson(RuleMessage message)
    {
        using var stream = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(writer, message);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes the event as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, RuleMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartObject();
        writer.WriteString("time", Time(message.UtcTicks));
        writer.WriteString("type", TypeName(message.Kind));
        writer.WriteString("rule", message.Rule);
        writer.WriteNumber("queue", message.Queue);
        if (message.Monitor)
        {
            writer.WriteString("mode", "monitor");
        }

        if (message.Kind == RuleMessageKind.Log)
        {
            writer.WriteString("level", LevelName(message.Level));
        }

        if (message.Kind is RuleMessageKind.Failure or RuleMessageKind.Limit)
        {
            writer.WriteString("kind", FailureName(message.Failure));
        }

        if (HookName(message.Hook) is { } hook)
        {
            writer.WriteString("hook", hook);
        }

        if (!message.InputInterface.IsEmpty)
        {
            writer.WriteString("in_iface", message.InputInterface);
        }

        if (!message.OutputInterface.IsEmpty)
        {
            writer.WriteString("out_iface", message.OutputInterface);
        }

        if (message.IpVersion != 0)
        {
            writer.WriteString("proto", ProtocolName(message.Protocol));
            writer.WriteString("src_ip", Address(message.SourceAddress));
            if (message.HasPorts)
            {
                writer.WriteNumber("src_port", message.SourcePort);
            }

            writer.WriteString("dest_ip", Address(message.DestinationAddress));
            if (message.HasPorts)
            {
                writer.WriteNumber("dest_port", message.DestinationPort);
            }
        }

        writer.WriteNumber("len", message.PacketLength);
        writer.WriteString("verdict", VerdictName(message.FinalVerdict));
        if (message.FinalVerdict == FilterVerdict.Queue)
        {
            writer.WriteNumber("verdict_queue", message.FinalVerdictQueue);
        }

        writer.WriteString("rule_verdict", VerdictName(message.RuleVerdict));
        if (message.RuleVerdict == FilterVerdict.Queue)
        {
            writer.WriteNumber("rule_verdict_queue", message.RuleVerdictQueue);
        }

        writer.WriteString("message", message.Message);
        if (message.MessageTruncated)
        {
            writer.WriteBoolean("message_truncated", true);
        }

        if (message.Kind == RuleMessageKind.Alert)
        {
            writer.WriteStartObject("fields");
            foreach (RuleMessage.Field field in message.Fields)
            {
                switch (field.Kind)
                {
                    case 0:
                        writer.WriteString(field.Key, field.Text);
                        break;
                    case 1:
                        writer.WriteNumber(field.Key, field.Number);
                        break;
                    default:
                        writer.WriteBoolean(field.Key, field.Number != 0);
                        break;
                }
            }

            writer.WriteEndObject();
            if (message.FieldsTruncated)
            {
                writer.WriteBoolean("fields_truncated", true);
            }
        }

        if (message.SuppressedBefore > 0)
        {
            writer.WriteNumber("suppressed_before", message.SuppressedBefore);
        }

        writer.WriteEndObject();
    }

    /// <summary>The packet in a few words: <c>UDP 10.0.0.1:5353 -> 10.0.0.2:53</c> (<c>non-IP packet</c> when it is not IP).</summary>
    public static string Packet(RuleMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IpVersion == 0)
        {
            return "non-IP packet";
        }

        string source = Address(message.SourceAddress);
        string destination = Address(message.DestinationAddress);
        if (message.IpVersion == 6)
        {
            source = "[" + source + "]";
            destination = "[" + destination + "]";
        }

        return message.HasPorts
            ? string.Create(CultureInfo.InvariantCulture, $"{ProtocolName(message.Protocol)} {source}:{message.SourcePort} -> {destination}:{message.DestinationPort}")
            : $"{ProtocolName(message.Protocol)} {source} -> {destination}";
    }

    /// <summary>A log line's text after its rule and queue: <c>UDP a:p -> b:q: message</c>.</summary>
    public static string LogText(RuleMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string suppressed = message.SuppressedBefore > 0
            ? string.Create(CultureInfo.InvariantCulture, $" ({message.SuppressedBefore} earlier lines suppressed by the rule's limit)")
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Packet(message)}: {Encoding.UTF8.GetString(message.Message)}{(message.MessageTruncated ? "..." : "")}{suppressed}");
    }

    /// <summary>debug, info or warning.</summary>
    public static string LevelName(RuleLogLevel level) => level switch
    {
        RuleLogLevel.Debug => "debug",
        RuleLogLevel.Warning => "warning",
        _ => "info",
    };

    /// <summary>A verdict as a word: pass, accept, drop, repeat, stop, queue.</summary>
    public static string VerdictName(FilterVerdict verdict) => verdict switch
    {
        FilterVerdict.Pass => "pass",
        FilterVerdict.Accept => "accept",
        FilterVerdict.Drop => "drop",
        FilterVerdict.Repeat => "repeat",
        FilterVerdict.Stop => "stop",
        _ => "queue",
    };

    /// <summary>A failure's kind: script_error, bad_return, instruction_limit, memory_limit, time_limit.</summary>
    public static string FailureName(RuleFailure failure) => failure switch
    {
        RuleFailure.ScriptError => "script_error",
        RuleFailure.BadReturn => "bad_return",
        RuleFailure.InstructionLimit => "instruction_limit",
        RuleFailure.MemoryLimit => "memory_limit",
        RuleFailure.TimeLimit => "time_limit",
        _ => "none",
    };

    private static string? HookName(PacketHook hook) => hook switch
    {
        PacketHook.Prerouting => "prerouting",
        PacketHook.Input => "input",
        PacketHook.Forward => "forward",
        PacketHook.Output => "output",
        PacketHook.Postrouting => "postrouting",
        _ => null,
    };

    private static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "ICMP",
        6 => "TCP",
        17 => "UDP",
        47 => "GRE",
        58 => "IPv6-ICMP",
        132 => "SCTP",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    private static string Address(ReadOnlySpan<byte> address)
    {
        Span<char> text = stackalloc char[IPAddressText.MaxLength];
        return IPAddressText.TryFormat(address, text, out int length) ? new string(text[..length]) : "?";
    }
}
