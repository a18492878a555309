using System.Text;

namespace NfLua.Control.Tests;

public sealed class ControlCodecRequestTests
{
    public static TheoryData<int> CommandIndexes => [.. Enumerable.Range(0, SampleMessages.Commands.Length)];

    [Theory]
    [MemberData(nameof(CommandIndexes))]
    public void DecodeRequest_EncodedRequest_GivesEqualRequest(int index)
    {
        var request = new ControlRequest(17 + index, SampleMessages.Commands[index]);

        ControlRequest decoded = ControlCodec.DecodeRequest(ControlCodec.EncodeRequest(request));

        Assert.Equal(request, decoded);
    }

    [Fact]
    public void EncodeRequest_Load_MatchesGoldenJson()
    {
        var request = new ControlRequest(5, new LoadRequest("web", "return 1", 2, "web.lua", 1000, null, RuleFailureVerdict.Accept));

        string json = Encoding.UTF8.GetString(ControlCodec.EncodeRequest(request));

        Assert.Equal(
            """{"v":1,"id":5,"op":"load","args":{"name":"web","script":"return 1","queue":2,"scriptPath":"web.lua","maxInstructions":1000,"onError":"accept"}}""",
            json);
    }

    [Fact]
    public void EncodeRequest_Status_MatchesGoldenJson()
    {
        string json = Encoding.UTF8.GetString(ControlCodec.EncodeRequest(new ControlRequest(1, new StatusRequest())));

        Assert.Equal("""{"v":1,"id":1,"op":"status","args":{}}""", json);
    }

    [Fact]
    public void DecodeRequest_ArgsMissingForArgumentlessOp_GivesCommand()
    {
        ControlRequest request = ControlCodec.DecodeRequest("""{"v":1,"id":9,"op":"list"}"""u8);

        Assert.Equal(new ControlRequest(9, new ListRequest()), request);
    }

    [Theory]
    [InlineData("""{"v":1,"id":3,"op":"load","args":{"script":"x","queue":1}}""", ControlErrorName.BadRequest, "name")]
    [InlineData("""{"v":1,"id":3,"op":"load","args":{"name":null,"script":"x","queue":1}}""", ControlErrorName.BadRequest, "name")]
    [InlineData("""{"v":1,"id":3,"op":"load","args":{"name":"a","script":"x","queue":"one"}}""", ControlErrorName.BadRequest, "queue")]
    [InlineData("""{"v":1,"id":3,"op":"load","args":{"name":"a","script":"x","queue":1,"onError":"maybe"}}""", ControlErrorName.BadRequest, "onError")]
    [InlineData("""{"v":1,"id":3,"op":"load"}""", ControlErrorName.BadRequest, "load arguments")]
    [InlineData("""{"v":1,"id":3,"op":"unload","args":[]}""", ControlErrorName.BadRequest, "\"args\" must be an object")]
    [InlineData("""{"v":1,"id":3,"op":"explode","args":{}}""", ControlErrorName.Unsupported, "unknown op \"explode\"")]
    [InlineData("""{"v":1,"id":3,"args":{}}""", ControlErrorName.BadRequest, "\"op\"")]
    [InlineData("""{"v":2,"id":3,"op":"list"}""", ControlErrorName.VersionMismatch, "version 2")]
    [InlineData("""{"id":3,"op":"list"}""", ControlErrorName.VersionMismatch, "no \"v\"")]
    public void DecodeRequest_BadEnvelope_ReportsNamedErrorWithRequestId(string json, ControlErrorName expected, string fragment)
    {
        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(expected, ex.ErrorName);
        Assert.Equal(3, ex.RequestId);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"v":1,"op":"list"}""", "no \"id\"")]
    [InlineData("""{"v":1,"id":"7","op":"list"}""", "\"id\" must be an integer")]
    [InlineData("""[1,2,3]""", "must be a JSON object, not an array")]
    [InlineData("""{"v":1,"id":1,"op":"list"} {}""", "invalid JSON")]
    [InlineData("""{"v":1,"id":1,"op":""", "invalid JSON")]
    [InlineData("not json at all", "invalid JSON")]
    public void DecodeRequest_InvalidDocument_ReportsBadRequest(string json, string fragment)
    {
        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(ControlErrorName.BadRequest, ex.ErrorName);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRequest_TenThousandOpenBrackets_RefusedAsTooDeep()
    {
        byte[] json = Encoding.ASCII.GetBytes(new string('[', 10_000));

        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(json));

        Assert.Equal(ControlErrorName.BadRequest, ex.ErrorName);
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DecodeRequest_ArgsNestedPastLimit_RefusedAsTooDeep()
    {
        string deep = new string('[', ControlProtocol.MaxJsonDepth) + new string(']', ControlProtocol.MaxJsonDepth);
        byte[] json = Encoding.ASCII.GetBytes("{\"v\":1,\"id\":1,\"op\":\"list\",\"args\":{\"x\":" + deep + "}}");

        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(json));

        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DecodeRequest_InvalidUtf8InString_ReportsBadRequest()
    {
        byte[] json = [.. "{\"v\":1,\"id\":1,\"op\":\"unload\",\"args\":{\"name\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeRequest(json));

        Assert.Equal(ControlErrorName.BadRequest, ex.ErrorName);
    }

    [Fact]
    public void DecodeRequest_RandomBytes_OnlyThrowsProtocolException()
    {
        var random = new Random(1234);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            try
            {
                ControlCodec.DecodeRequest(bytes);
            }
            catch (ControlProtocolException)
            {
                refused++;
            }
        }

        Assert.Equal(20_000, refused);
    }
}
