using System.Net.Sockets;

namespace NfLua.Control.Tests;

/// <summary>Reads what a server sends on a raw socket: the next frame as a response, or the end of the stream.</summary>
internal static class RawExchange
{
    public static async Task<ControlResponse?> ReadResponseAsync(Socket socket, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var stream = new NetworkStream(socket, ownsSocket: false);
        byte[]? frame = await ControlFraming.ReadFrameAsync(stream, deadline.Token);
        return frame is null ? null : ControlCodec.DecodeResponse(frame, ControlOp.Status);
    }

    /// <summary>True when the server closed the connection (end of stream or reset) within the timeout.</summary>
    public static async Task<bool> IsClosedByServerAsync(Socket socket, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
