using System.Text;
using System.Text.RegularExpressions;
using NfLua.Control;
using NfLua.Fuzz.Engine;

namespace NfLua.Fuzz.Targets;

/// <summary>
/// The control protocol on one byte stream from a client: <see cref="ControlFraming"/> cuts it into frames, and each
/// frame goes through <see cref="ControlCodec.DecodeRequest"/> and <see cref="ControlCodec.DecodeResponse"/> (for
/// an op the input chooses). Only <see cref="ControlProtocolException"/> may come out (with a message; a framing
/// error breaks the connection), and whatever decodes must survive a round trip: encoded again, it decodes to an
/// equal request, and encodes to the same bytes.
/// </summary>
internal sealed partial class ControlTarget : IFuzzTarget
{
    private static readonly ControlOp[] s_ops = Enum.GetValues<ControlOp>();

    public ControlTarget()
    {
        // The vocabulary is every quoted string of the seeds (property names, op names, enum values), plus JSON's own.
        var tokens = new SortedSet<string>(StringComparer.Ordinal) { "{", "}", "[", "]", ",", ":", "null", "true", "false", "-0", "1e400", "2147483648", "\\u0000", "\\ud800", "\\udfff", "\"\\uD83D\\uDE00\"", "\xC3\x28" };
        foreach (Seed seed in Seeds())
        {
            foreach (Match match in QuotedString().Matches(Encoding.UTF8.GetString(seed.Bytes)))
            {
                tokens.Add(match.Value);
            }
        }

        Dictionary = [.. tokens.Select(Encoding.Latin1.GetBytes)];
    }

    public string Name => "control";

    public IReadOnlyList<byte[]> Dictionary { get; }

    public IEnumerable<Seed> Seeds()
    {
        int n = 0;
        foreach (ControlCommand command in SampleCommands())
        {
            yield return new Seed($"request-{n++}-{command.Op.ToString().ToLowerInvariant()}.bin", ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(n, command))));
        }

        foreach ((ControlOp op, ControlResult result) in SampleResults())
        {
            yield return new Seed($"response-{op.ToString().ToLowerInvariant()}.bin", ControlFraming.ToFrame(ControlCodec.EncodeResponse(ControlResponse.Success(7, result))));
        }

        yield return new Seed("response-error.bin", ControlFraming.ToFrame(ControlCodec.EncodeResponse(
            ControlResponse.Failure(3, new ControlError(ControlErrorName.CompileError, "rules/x.lua:2: unexpected symbol", "rules/x.lua", 2)))));
        yield return new Seed("two-requests.bin", [.. ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(1, new ListRequest()))),
            .. ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(2, new StatusRequest())))]);
    }

    public byte[] Generate(Random random)
    {
        var json = new StringBuilder();
        if (random.Next(4) == 0)
        {
            JsonText.Value(random, json, depth: 0, Dictionary);
        }
        else
        {
            // A well-formed envelope around random arguments, so that decoding gets past the header more often.
            string[] ops = ["load", "unload", "list", "stats", "status", "reload", "nope"];
            json.Append("{\"v\":1,\"id\":").Append(random.Next(100)).Append(",\"op\":\"").Append(ops[random.Next(ops.Length)]).Append("\",\"args\":");
            JsonText.Value(random, json, depth: 0, Dictionary);
            json.Append('}');
        }

        byte[] body = Encoding.UTF8.GetBytes(json.ToString());
        return body.Length == 0 ? [0, 0, 0, 0] : ControlFraming.ToFrame(body);
    }

    public bool Check(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        bool anyDecoded = false;
        Random random = InputRandom.For(input);
        while (true)
        {
            byte[]? body;
            try
            {
                // A MemoryStream completes every read synchronously.
                body = ControlFraming.ReadFrameAsync(stream).AsTask().GetAwaiter().GetResult();
            }
            catch (ControlProtocolException ex)
            {
                InvariantViolationException.Assert(ex.BreaksConnection && ex.Message.Length > 0, "a framing error that does not break the connection");
                return false;
            }

            if (body is null)
            {
                return anyDecoded;
            }

            anyDecoded |= CheckRequest(body);
            anyDecoded |= CheckResponse(body, s_ops[random.Next(s_ops.Length)]);
        }
    }

    private static bool CheckRequest(byte[] body)
    {
        ControlRequest request;
        try
        {
            request = ControlCodec.DecodeRequest(body);
        }
        catch (ControlProtocolException ex)
        {
            CheckError(ex);
            return false;
        }

        byte[] encoded = ControlCodec.EncodeRequest(request);
        ControlRequest again = ControlCodec.DecodeRequest(encoded);
        InvariantViolationException.Assert(again == request, $"request {request} reads back as {again}");
        InvariantViolationException.Assert(ControlCodec.EncodeRequest(again).AsSpan().SequenceEqual(encoded), "a request encodes differently the second time");
        return true;
    }

    private static bool CheckResponse(byte[] body, ControlOp op)
    {
        ControlResponse response;
        try
        {
            response = ControlCodec.DecodeResponse(body, op);
        }
        catch (ControlProtocolException ex)
        {
            CheckError(ex);
            return false;
        }

        byte[] encoded = ControlCodec.EncodeResponse(response);
        byte[] again = ControlCodec.EncodeResponse(ControlCodec.DecodeResponse(encoded, op));
        InvariantViolationException.Assert(again.AsSpan().SequenceEqual(encoded), $"a {op} response encodes differently after a round trip");
        return true;
    }

    private static void CheckError(ControlProtocolException ex) =>
        InvariantViolationException.Assert(ex.Message.Length > 0 && Enum.IsDefined(ex.ErrorName), $"a protocol error without a message or name: {ex.ErrorName}");

    private static IEnumerable<ControlCommand> SampleCommands() =>
    [
        new LoadRequest("ssh-guard", "function filter(pkt) return true end", 3, "rules/ssh.lua", 100_000, 4_194_304, RuleFailureVerdict.Drop),
        new LoadRequest("minimal", "function filter(pkt)\n  return \"drop\"\nend\n", 0),
        new UnloadRequest("ssh-guard"),
        new ListRequest(),
        new ListRequest(7),
        new StatsRequest(3),
        new StatusRequest(),
        new ReloadRequest(),
    ];

    private static IEnumerable<(ControlOp, ControlResult)> SampleResults()
    {
        var rule = new RuleInfo("ssh-guard", 3, 1, 100_000, 4_194_304, RuleFailureVerdict.Drop, "rules/ssh.lua");
        var kernel = new KernelQueueCounters(2, 10, 11, 12345);
        yield return (ControlOp.Load, new LoadResult(rule, Replaced: true));
        yield return (ControlOp.Unload, new UnloadResult("ssh-guard", 3));
        yield return (ControlOp.List, new ListResult([rule, rule with { Name = "second", Position = 2, ScriptPath = null }]));
        yield return (ControlOp.Stats, new StatsResult([new QueueStats(3, 100, 90, 9, 1, 20, kernel)], [new RuleStats("ssh-guard", 3, 100, 91, 8, 1, 0, 123_456, 9_999)]));
        yield return (ControlOp.Status, new StatusResult("0.1.0", 4242, 3600, [new QueueStatus(3, true, 1024, 65535, true, false, true, true, kernel)], "/etc/nflua/nfluad.lua"));
        yield return (ControlOp.Reload, new ReloadResult(2, 1));
    }

    [GeneratedRegex("\"[^\"\\\\]*\"")]
    private static partial Regex QuotedString();
}
