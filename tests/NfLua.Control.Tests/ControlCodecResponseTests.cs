using System.Text;

namespace NfLua.Control.Tests;

public sealed class ControlCodecResponseTests
{
    public static TheoryData<int> ResultIndexes => [.. Enumerable.Range(0, SampleMessages.Results.Length)];

    [Theory]
    [MemberData(nameof(ResultIndexes))]
    public void DecodeResponse_EncodedResult_ReencodesIdentically(int index)
    {
        (ControlOp op, ControlResult result) = SampleMessages.Results[index];
        byte[] encoded = ControlCodec.EncodeResponse(ControlResponse.Success(40 + index, result));

        ControlResponse decoded = ControlCodec.DecodeResponse(encoded, op);

        Assert.True(decoded.IsOk);
        Assert.Equal(40 + index, decoded.Id);
        Assert.Equal(result.GetType(), decoded.Result.GetType());
        Assert.Equal(encoded, ControlCodec.EncodeResponse(decoded));
    }

    [Fact]
    public void DecodeResponse_StatusResult_KeepsNestedValues()
    {
        (ControlOp op, ControlResult result) = SampleMessages.Results.First(r => r.Op == ControlOp.Status);

        var status = (StatusResult)ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(ControlResponse.Success(1, result)), op).Result!;

        Assert.Equal(2, status.Queues.Count);
        Assert.Equal(new QueueStatus(3, true, 1024, 65535, true, false, true, true, SampleMessages.Kernel), status.Queues[0]);
        Assert.Null(status.Queues[1].Kernel);
        Assert.Equal("/etc/nflua/nfluad.lua", status.ConfigPath);
    }

    [Fact]
    public void EncodeResponse_UnloadResult_MatchesGoldenJson()
    {
        string json = Encoding.UTF8.GetString(ControlCodec.EncodeResponse(ControlResponse.Success(8, new UnloadResult("web", 2))));

        Assert.Equal("""{"v":1,"id":8,"ok":true,"result":{"name":"web","queue":2}}""", json);
    }

    [Fact]
    public void EncodeResponse_CompileError_MatchesGoldenJson()
    {
        var error = new ControlError(ControlErrorName.CompileError, "web.lua:3: unexpected symbol near 'end'", "web.lua", 3);

        string json = Encoding.UTF8.GetString(ControlCodec.EncodeResponse(ControlResponse.Failure(4, error)));

        Assert.Equal(
            """{"v":1,"id":4,"ok":false,"error":{"name":"CompileError","message":"web.lua:3: unexpected symbol near 'end'","file":"web.lua","line":3}}""",
            json);
    }

    [Theory]
    [InlineData(ControlErrorName.NotFound)]
    [InlineData(ControlErrorName.BadRequest)]
    [InlineData(ControlErrorName.CompileError)]
    [InlineData(ControlErrorName.Forbidden)]
    [InlineData(ControlErrorName.Unsupported)]
    [InlineData(ControlErrorName.Internal)]
    [InlineData(ControlErrorName.TooLarge)]
    [InlineData(ControlErrorName.VersionMismatch)]
    public void DecodeResponse_EncodedError_GivesEqualError(ControlErrorName name)
    {
        ControlResponse response = ControlResponse.Failure(6, name, $"something about {name}");

        ControlResponse decoded = ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(response), ControlOp.Load);

        Assert.Equal(response, decoded);
        Assert.False(decoded.IsOk);
    }

    [Fact]
    public void DecodeResponse_UnknownErrorName_BecomesInternalKeepingTheName()
    {
        ControlResponse decoded = ControlCodec.DecodeResponse("""{"v":1,"id":2,"ok":false,"error":{"name":"Quota","message":"too many rules"}}"""u8, ControlOp.Load);

        Assert.Equal(new ControlError(ControlErrorName.Internal, "Quota: too many rules"), decoded.Error);
    }

    [Theory]
    [InlineData("""{"v":1,"id":2,"ok":true}""", "\"result\"")]
    [InlineData("""{"v":1,"id":2,"ok":false}""", "\"error\"")]
    [InlineData("""{"v":1,"id":2,"result":{}}""", "\"ok\"")]
    [InlineData("""{"v":1,"id":2,"ok":true,"result":{"name":"x"}}""", "unload result")]
    public void DecodeResponse_Incomplete_ReportsProtocolError(string json, string fragment)
    {
        var ex = Assert.Throws<ControlProtocolException>(() => ControlCodec.DecodeResponse(Encoding.UTF8.GetBytes(json), ControlOp.Unload));

        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeResponse_NeitherResultNorError_Throws()
    {
        Assert.Throws<ArgumentException>(() => ControlCodec.EncodeResponse(new ControlResponse(1, null, null)));
    }
}
