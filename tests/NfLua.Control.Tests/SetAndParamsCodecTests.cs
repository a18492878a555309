using System.Text;
using System.Text.Json;

namespace NfLua.Control.Tests;

/// <summary>The set operations and load's parameters and compile limits on the wire.</summary>
public sealed class SetAndParamsCodecTests
{
    [Fact]
    public void SetRequests_HaveTheirWireNames_AndComeBackWhole()
    {
        ControlCommand[] commands =
        [
            new SetListRequest(),
            new SetShowRequest("bad-nets", 20),
            new SetAddRequest("bad-nets", ["10.0.0.0/8", "2001:db8::/32"]),
            new SetDelRequest("bad-nets", ["10.0.0.0/8"]),
            new SetLoadRequest("bad-nets", "10.0.0.0/8\n", "nets.txt"),
            new SetLoadRequest("bad-nets"),
        ];
        string[] ops = ["set-list", "set-show", "set-add", "set-del", "set-load", "set-load"];

        for (int i = 0; i < commands.Length; i++)
        {
            byte[] encoded = ControlCodec.EncodeRequest(new ControlRequest(i + 1, commands[i]));
            Assert.Equal(ops[i], JsonDocument.Parse(encoded).RootElement.GetProperty("op").GetString());
            ControlCommand decoded = ControlCodec.DecodeRequest(encoded).Command;
            Assert.Equal(Encoding.UTF8.GetString(encoded), Encoding.UTF8.GetString(ControlCodec.EncodeRequest(new ControlRequest(i + 1, decoded))));
        }
    }

    [Fact]
    public void EncodeRequest_SetAdd_MatchesGoldenJson()
    {
        string json = Encoding.UTF8.GetString(ControlCodec.EncodeRequest(new ControlRequest(4, new SetAddRequest("bad-nets", ["10.0.0.0/8"]))));

        Assert.Equal("""{"v":1,"id":4,"op":"set-add","args":{"name":"bad-nets","values":["10.0.0.0/8"]}}""", json);
    }

    [Fact]
    public void LoadRequest_CarriesParamsAndCompileLimits()
    {
        JsonElement parameters = ParamsJson.ToJson(new Dictionary<string, object> { ["ports"] = new List<object> { 22L, 2222L }, ["mode"] = "strict", ["on"] = true });
        var request = new ControlRequest(5, new LoadRequest("web", "return 1", 2, Params: parameters, CompileInstructions: 5000, CompileTimeMs: 1500));

        string json = Encoding.UTF8.GetString(ControlCodec.EncodeRequest(request));
        var decoded = (LoadRequest)ControlCodec.DecodeRequest(Encoding.UTF8.GetBytes(json)).Command;

        Assert.Equal(
            """{"v":1,"id":5,"op":"load","args":{"name":"web","script":"return 1","queue":2,"params":{"ports":[22,2222],"mode":"strict","on":true},"compileInstructions":5000,"compileTimeMs":1500}}""",
            json);
        Assert.Equal((5000L, 1500L), (decoded.CompileInstructions, decoded.CompileTimeMs));
        Dictionary<string, object?> values = ParamsJson.FromJson(decoded.Params!.Value, out _)!;
        Assert.Equal([22L, 2222L], (List<object?>)values["ports"]!);
        Assert.Equal(("strict", true), (values["mode"], values["on"]));
    }

    [Fact]
    public void ParamsNestedSixteenLevels_FitTheEnvelopesDepth()
    {
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", 16)) + "1" + new string('}', 16);
        string json = """{"v":1,"id":1,"op":"load","args":{"name":"x","script":"s","queue":0,"params":""" + nested + "}}";

        var load = (LoadRequest)ControlCodec.DecodeRequest(Encoding.UTF8.GetBytes(json)).Command;

        Assert.Equal(JsonValueKind.Object, load.Params!.Value.ValueKind);
    }

    [Fact]
    public void ParamsJson_KeepsWhatTheParametersCheckMustRefuse()
    {
        Dictionary<string, object?> values = ParamsJson.FromJson(JsonDocument.Parse("""{"rate":2.5,"none":null}""").RootElement, out _)!;

        Assert.Equal(2.5, values["rate"]);
        Assert.Null(values["none"]);
        Assert.Null(ParamsJson.FromJson(JsonDocument.Parse("[1]").RootElement, out string? error));
        Assert.Equal("params must be a JSON object of named values", error);
    }

    [Fact]
    public void SetResults_DecodeAsTheirOps()
    {
        var info = new SetInfo("bad-nets", "cidr", 2, 16, 65536, "/etc/nflua/lists/bad-nets.txt", "file");
        var list = ControlResponse.Success(1, new SetListResult([info]));
        var show = ControlResponse.Success(2, new SetShowResult(info, ["10.0.0.0/8"], false));
        var change = ControlResponse.Success(3, new SetChangeResult(info, 1, true));

        var decodedList = (SetListResult)ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(list), ControlOp.SetList).Result!;
        var decodedShow = (SetShowResult)ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(show), ControlOp.SetShow).Result!;
        var decodedChange = (SetChangeResult)ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(change), ControlOp.SetLoad).Result!;

        Assert.Equal(info, Assert.Single(decodedList.Sets));
        Assert.Equal(["10.0.0.0/8"], decodedShow.Entries);
        Assert.Equal(new SetChangeResult(info, 1, true), decodedChange);
    }

    [Fact]
    public void FrameLimit_Is16MiB_AndAFourMiBScriptFitsInOneFrame()
    {
        string script = new('x', 4 * 1024 * 1024);

        byte[] frame = ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(1, new LoadRequest("big", script, 0))));

        Assert.Equal(16 * 1024 * 1024, ControlProtocol.MaxFrameBytes);
        Assert.True(frame.Length > script.Length);
    }
}
