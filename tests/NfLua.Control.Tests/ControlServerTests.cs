using System.Net.Sockets;

namespace NfLua.Control.Tests;

public sealed class ControlServerTests
{
    [Fact]
    public async Task SendAsync_Status_AnsweredByHandler()
    {
        await using var server = new RunningServer();

        ControlResponse response = await server.SendAsync(new StatusRequest());

        Assert.True(response.IsOk);
        Assert.Equal("test", ((StatusResult)response.Result).Version);
        Assert.Equal(RunningServer.Status.Queues[0], ((StatusResult)response.Result).Queues[0]);
    }

    [Fact]
    public async Task SendAsync_SeveralRequestsOnOneConnection_EachAnsweredInOrder()
    {
        await using var server = new RunningServer();
        await using ControlClient client = await ControlClient.ConnectAsync(server.SocketPath, TestContext.Current.CancellationToken);

        ControlResponse load = await client.SendAsync(new LoadRequest("r1", "x", 5), TestContext.Current.CancellationToken);
        ControlResponse unload = await client.SendAsync(new UnloadRequest("nope"), TestContext.Current.CancellationToken);
        ControlResponse status = await client.SendAsync(new StatusRequest(), TestContext.Current.CancellationToken);

        Assert.Equal((1, 5), (load.Id, ((LoadResult)load.Result!).Rule.Queue));
        Assert.Equal((2, ControlErrorName.NotFound), (unload.Id, unload.Error!.Name));
        Assert.Equal(3, status.Id);
        Assert.IsType<StatusResult>(status.Result);
    }

    [Fact]
    public async Task SendAsync_HandlerThrows_InternalErrorAndServerKeepsAnswering()
    {
        await using var server = new RunningServer();

        ControlResponse failed = await server.SendAsync(new UnloadRequest("boom"));
        ControlResponse after = await server.SendAsync(new StatusRequest());

        Assert.Equal(ControlErrorName.Internal, failed.Error!.Name);
        Assert.Contains("handler exploded", failed.Error.Message, StringComparison.Ordinal);
        Assert.True(after.IsOk);
    }

    [Fact]
    public async Task SendAsync_AnswerOverFrameLimit_TooLargeError()
    {
        var huge = new ListResult([SampleMessages.Rule with { ScriptPath = new string('x', ControlProtocol.MaxFrameBytes) }]);
        await using var server = new RunningServer(handler: (request, _) => ValueTask.FromResult(ControlResponse.Success(request.Id, huge)));

        ControlResponse response = await server.SendAsync(new ListRequest());

        Assert.Equal(ControlErrorName.TooLarge, response.Error!.Name);
    }

    [Fact]
    public async Task Server_RandomBytes_GetsErrorAndIsClosedWhileOthersAreAnswered()
    {
        await using var server = new RunningServer();
        using Socket abuser = server.ConnectRaw();
        byte[] garbage = new byte[256];
        new Random(42).NextBytes(garbage);
        garbage[0] = 0xFF; // whatever follows, the announced length is far over the limit

        await abuser.SendAsync(garbage, TestContext.Current.CancellationToken);
        ControlResponse? refusal = await RawExchange.ReadResponseAsync(abuser);

        Assert.Equal(ControlErrorName.TooLarge, refusal!.Error!.Name);
        Assert.True(await RawExchange.IsClosedByServerAsync(abuser, TimeSpan.FromSeconds(5)));
        Assert.True((await server.SendAsync(new StatusRequest())).IsOk);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    public async Task Server_BadJsonInValidFrame_AnswersBadRequestAndKeepsConnection(string body)
    {
        await using var server = new RunningServer();
        using Socket client = server.ConnectRaw();

        await client.SendAsync(ControlFraming.ToFrame(System.Text.Encoding.UTF8.GetBytes(body)), TestContext.Current.CancellationToken);
        ControlResponse? bad = await RawExchange.ReadResponseAsync(client);
        await client.SendAsync(ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(9, new StatusRequest()))), TestContext.Current.CancellationToken);
        ControlResponse? good = await RawExchange.ReadResponseAsync(client);

        Assert.Equal(ControlErrorName.BadRequest, bad!.Error!.Name);
        Assert.Equal(9, good!.Id);
        Assert.True(good.IsOk);
    }

    [Fact]
    public async Task Server_HalfFrameThenSilence_ClosedAfterFrameTimeoutWhileOthersAreAnswered()
    {
        await using var server = new RunningServer(frameTimeout: TimeSpan.FromMilliseconds(500));
        using Socket stalled = server.ConnectRaw();
        await stalled.SendAsync(new byte[] { 0, 0, 0, 50, (byte)'{' }, TestContext.Current.CancellationToken);

        ControlResponse during = await server.SendAsync(new StatusRequest());
        ControlResponse? timeout = await RawExchange.ReadResponseAsync(stalled);

        Assert.True(during.IsOk);
        Assert.Equal(ControlErrorName.BadRequest, timeout!.Error!.Name);
        Assert.Contains("not completed", timeout.Error.Message, StringComparison.Ordinal);
        Assert.True(await RawExchange.IsClosedByServerAsync(stalled, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Server_IdleConnection_ClosedSilentlyAfterIdleTimeout()
    {
        await using var server = new RunningServer(idleTimeout: TimeSpan.FromMilliseconds(300));
        using Socket idle = server.ConnectRaw();

        ControlResponse? sent = await RawExchange.ReadResponseAsync(idle);

        Assert.Null(sent);
    }

    [Fact]
    public async Task Server_TwoHundredIdleConnections_AnotherClientStillAnswered()
    {
        await using var server = new RunningServer();
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                idle.Add(server.ConnectRaw());
            }

            ControlResponse response = await server.SendAsync(new StatusRequest());

            Assert.True(response.IsOk);
            Assert.InRange(server.Server.ConnectionCount, 0, server.Options.MaxConnections);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Server_AllConnectionsBusy_NewcomerToldBusy()
    {
        var release = new TaskCompletionSource();
        int started = 0;
        await using var server = new RunningServer(maxConnections: 2, handler: async (request, ct) =>
        {
            Interlocked.Increment(ref started);
            await release.Task.WaitAsync(ct);
            return ControlResponse.Success(request.Id, RunningServer.Status);
        });
        using Socket first = server.ConnectRaw();
        using Socket second = server.ConnectRaw();
        byte[] status = ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(1, new StatusRequest())));
        await first.SendAsync(status, TestContext.Current.CancellationToken);
        await second.SendAsync(status, TestContext.Current.CancellationToken);
        while (Volatile.Read(ref started) < 2)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        ControlResponse busy = await server.SendOnceAsync(new StatusRequest());
        release.SetResult();

        Assert.Equal(ControlErrorName.Busy, busy.Error!.Name);
        Assert.Contains("busy", busy.Error.Message, StringComparison.Ordinal);
        Assert.True((await RawExchange.ReadResponseAsync(first))!.IsOk);
    }

    [Fact]
    public async Task Server_IdleConnectionEvicted_ItsClientIsToldWhy()
    {
        await using var server = new RunningServer(maxConnections: 1);
        using Socket idle = server.ConnectRaw();
        while (server.Server.ConnectionCount < 1)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await using (ControlClient early = await ControlClient.ConnectAsync(server.SocketPath, TestContext.Current.CancellationToken))
        {
            // Idle for less than a second: not evicted, the newcomer is told busy.
            Assert.Equal(ControlErrorName.Busy, (await early.SendAsync(new StatusRequest(), TestContext.Current.CancellationToken)).Error?.Name);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.1), TestContext.Current.CancellationToken);
        ControlResponse answered = await server.SendAsync(new StatusRequest());
        ControlResponse? notice = await RawExchange.ReadResponseAsync(idle);

        Assert.True(answered.IsOk);
        Assert.Equal(ControlErrorName.Busy, notice!.Error!.Name);
        Assert.Contains("closed to make room", notice.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeAsync_AllConnectionsBusy_WaitsForASlotInsteadOfFailing()
    {
        var release = new TaskCompletionSource();
        int started = 0;
        await using var server = new RunningServer(maxConnections: 1, handler: async (request, ct) =>
        {
            if (Interlocked.Increment(ref started) == 1)
            {
                await release.Task.WaitAsync(ct);
            }

            return ControlResponse.Success(request.Id, RunningServer.Status);
        });
        using Socket holder = server.ConnectRaw();
        await holder.SendAsync(ControlFraming.ToFrame(ControlCodec.EncodeRequest(new ControlRequest(1, new StatusRequest()))), TestContext.Current.CancellationToken);
        while (Volatile.Read(ref started) < 1)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Task<IReadOnlyList<ControlResponse>> waiting = ControlClient.ExchangeAsync(server.SocketPath, [new StatusRequest()], TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        bool finishedWhileBusy = waiting.IsCompleted;
        release.SetResult();
        holder.Dispose();
        ControlResponse answer = Assert.Single(await waiting);

        Assert.False(finishedWhileBusy);
        Assert.True(answer.IsOk, answer.Error?.Message);
    }

    [Fact]
    public async Task ExchangeAsync_ManyMoreClientsThanSlots_EveryOneAnswered()
    {
        // Clients arriving faster than the server's loops run: a connection whose request waits unread is never
        // taken for idle and closed (its client would see a reset), and refusals are retried.
        await using var server = new RunningServer(maxConnections: 3, handler: async (request, ct) =>
        {
            await Task.Delay(2, ct);
            return ControlResponse.Success(request.Id, RunningServer.Status);
        });
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                idle.Add(server.ConnectRaw());
            }

            Task<IReadOnlyList<ControlResponse>>[] clients = [.. Enumerable.Range(0, 60).Select(_ => Task.Run(() =>
                ControlClient.ExchangeAsync(server.SocketPath, [new StatusRequest(), new StatusRequest()], TestContext.Current.CancellationToken)))];
            IReadOnlyList<ControlResponse>[] answers = await Task.WhenAll(clients);

            Assert.All(answers, a => Assert.All(a, r => Assert.True(r.IsOk, r.Error?.Message)));
            Assert.All(answers, a => Assert.Equal(2, a.Count));
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }
}
