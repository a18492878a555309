using System.Text.Json;

namespace NfLua.Control.Tests;

/// <summary>Monitor mode on the wire: the mode request and result, load --monitor, and the mode in list and stats.</summary>
public sealed class ModeCodecTests
{
    [Fact]
    public void ModeRequestAndResult_HaveTheirWireName_AndComeBackWhole()
    {
        byte[] request = ControlCodec.EncodeRequest(new ControlRequest(4, new ModeRequest("ssh", Monitor: true)));
        Assert.Equal("mode", JsonDocument.Parse(request).RootElement.GetProperty("op").GetString());
        Assert.Equal(new ModeRequest("ssh", true), ControlCodec.DecodeRequest(request).Command);

        var result = new ModeResult("ssh", [0, 1], "monitor");
        var decoded = (ModeResult)ControlCodec.DecodeResponse(ControlCodec.EncodeResponse(ControlResponse.Success(4, result)), ControlOp.Mode).Result!;
        Assert.Equal(("ssh", "monitor"), (decoded.Name, decoded.Mode));
        Assert.Equal([0, 1], decoded.Queues);
    }

    [Fact]
    public void LoadMonitor_TravelsOnlyWhenSet()
    {
        byte[] plain = ControlCodec.EncodeRequest(new ControlRequest(1, new LoadRequest("r", "x", 0)));
        byte[] monitored = ControlCodec.EncodeRequest(new ControlRequest(2, new LoadRequest("r", "x", 0, Monitor: true)));

        Assert.False(JsonDocument.Parse(plain).RootElement.GetProperty("args").TryGetProperty("monitor", out _));
        Assert.True(((LoadRequest)ControlCodec.DecodeRequest(monitored).Command).Monitor);
    }
}
