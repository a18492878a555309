using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace NfLua.Control.Tests;

public sealed class ControlServerLimitTests
{
    [Fact]
    public async Task Server_HeaderAnnouncingOverMax_RefusedWithoutWaitingForBody()
    {
        await using var server = new RunningServer(frameTimeout: TimeSpan.FromSeconds(30));
        using Socket client = server.ConnectRaw();
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, ControlProtocol.MaxFrameBytes + 1);

        await client.SendAsync(header, TestContext.Current.CancellationToken);
        ControlResponse? refusal = await RawExchange.ReadResponseAsync(client, TimeSpan.FromSeconds(10));

        Assert.Equal(ControlErrorName.TooLarge, refusal!.Error!.Name);
        Assert.True(await RawExchange.IsClosedByServerAsync(client, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Server_RequestOfExactlyMaxFrame_Answered()
    {
        await using var server = new RunningServer();
        byte[] small = ControlCodec.EncodeRequest(new ControlRequest(3, new LoadRequest("big", "", 1)));
        string padding = new('-', ControlProtocol.MaxFrameBytes - small.Length);
        byte[] body = ControlCodec.EncodeRequest(new ControlRequest(3, new LoadRequest("big", padding, 1)));
        using Socket client = server.ConnectRaw();

        await client.SendAsync(ControlFraming.ToFrame(body), TestContext.Current.CancellationToken);
        var stream = new NetworkStream(client, ownsSocket: false);
        byte[]? answer = await ControlFraming.ReadFrameAsync(stream, TestContext.Current.CancellationToken);
        ControlResponse response = ControlCodec.DecodeResponse(answer, ControlOp.Load);

        Assert.Equal(ControlProtocol.MaxFrameBytes, body.Length);
        Assert.Equal("big", ((LoadResult)response.Result!).Rule.Name);
    }

    [Fact]
    public async Task Server_OtherProtocolVersion_AnsweredWithVersionMismatchAndId()
    {
        await using var server = new RunningServer();
        using Socket client = server.ConnectRaw();

        await client.SendAsync(ControlFraming.ToFrame(Encoding.UTF8.GetBytes("""{"v":2,"id":41,"op":"status"}""")), TestContext.Current.CancellationToken);
        ControlResponse? response = await RawExchange.ReadResponseAsync(client);

        Assert.Equal((41, ControlErrorName.VersionMismatch), (response!.Id, response.Error!.Name));
    }

    [Fact]
    public async Task Server_AfterEveryKindOfAbuse_StillLoadsRules()
    {
        await using var server = new RunningServer(frameTimeout: TimeSpan.FromMilliseconds(300));
        var abusers = new List<Socket>();
        try
        {
            byte[][] payloads =
            [
                [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3],
                [0, 0, 0, 0],
                [0, 0, 0, 9, (byte)'{'],
                ControlFraming.ToFrame(Encoding.ASCII.GetBytes(new string('[', 10_000))),
                ControlFraming.ToFrame("\"just a string\""u8),
            ];
            foreach (byte[] payload in payloads)
            {
                Socket abuser = server.ConnectRaw();
                abusers.Add(abuser);
                await abuser.SendAsync(payload, TestContext.Current.CancellationToken);
            }

            foreach (Socket abuser in abusers)
            {
                Assert.False((await RawExchange.ReadResponseAsync(abuser))!.IsOk);
            }

            ControlResponse load = await server.SendAsync(new LoadRequest("after", "function filter(p) return true end", 2));

            Assert.Equal("after", ((LoadResult)load.Result!).Rule.Name);
        }
        finally
        {
            abusers.ForEach(s => s.Dispose());
        }
    }
}
