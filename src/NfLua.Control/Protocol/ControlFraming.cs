using System.Buffers.Binary;

namespace NfLua.Control;

/// <summary>Frames on a byte stream: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.</summary>
public static class ControlFraming
{
    /// <summary>Writes one frame.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="body">The frame body; at most <see cref="ControlProtocol.MaxFrameBytes"/> bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    /// <exception cref="ControlProtocolException">The body is empty or over the limit (<see cref="ControlErrorName.TooLarge"/>).</exception>
    public static async ValueTask WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] frame = ToFrame(body.Span);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds a whole frame (header and body) in one array, for a single send.</summary>
    /// <param name="body">The frame body.</param>
    /// <returns>The frame.</returns>
    /// <exception cref="ControlProtocolException">The body is empty or over the limit.</exception>
    public static byte[] ToFrame(ReadOnlySpan<byte> body)
    {
        CheckLength(body.Length);
        byte[] frame = new byte[ControlProtocol.FrameHeaderBytes + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(ControlProtocol.FrameHeaderBytes));
        return frame;
    }

    /// <summary>Reads one frame, however the bytes arrive (partial reads are completed).</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The frame body, or null when the stream ended cleanly between frames.</returns>
    /// <exception cref="ControlProtocolException">An empty frame, an announced length over <see cref="ControlProtocol.MaxFrameBytes"/>
    /// (refused before the body is read), or a stream that ends inside a frame. The stream is then out of step:
    /// <see cref="ControlProtocolException.BreaksConnection"/> is true.</exception>
    public static ValueTask<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken = default) =>
        ReadFrameAsync(stream, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, frameStarted: null, cancellationToken);

    /// <summary>Reads one frame with two deadlines: <paramref name="idleTimeout"/> for its first byte to arrive,
    /// then <paramref name="frameTimeout"/> for the rest of it.</summary>
    internal static async ValueTask<byte[]?> ReadFrameAsync(
        Stream stream, TimeSpan idleTimeout, TimeSpan frameTimeout, Action? frameStarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(idleTimeout);
        byte[] header = new byte[ControlProtocol.FrameHeaderBytes];
        int got = 0;
        try
        {
            got = await stream.ReadAsync(header, deadline.Token).ConfigureAwait(false);
            if (got == 0)
            {
                return null;
            }

            frameStarted?.Invoke();
            deadline.CancelAfter(frameTimeout);
            got += await ReadAtMostAsync(stream, header.AsMemory(got), deadline.Token).ConfigureAwait(false);
            if (got < header.Length)
            {
                throw Broken(ControlErrorName.BadRequest, $"connection closed after {got} of the {header.Length} bytes of a frame header");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
            CheckLength(length);
            // The body's memory grows as its bytes arrive: an announced length alone takes none.
            byte[] body = new byte[Math.Min(length, FirstBodyChunk)];
            int received = 0;
            while (true)
            {
                received += await ReadAtMostAsync(stream, body.AsMemory(received), deadline.Token).ConfigureAwait(false);
                if (received < body.Length || received == length)
                {
                    break;
                }

                Array.Resize(ref body, (int)Math.Min(length, (long)body.Length * 2));
            }

            if (received < length)
            {
                throw Broken(ControlErrorName.BadRequest, $"connection closed after {received} of the {length} bytes of a frame");
            }

            return body;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlReadTimeoutException(idle: got == 0);
        }
    }

    private const uint FirstBodyChunk = 256 * 1024;

    private static async ValueTask<int> ReadAtMostAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void CheckLength(long length)
    {
        if (length == 0)
        {
            throw Broken(ControlErrorName.BadRequest, "empty frame: a frame holds at least one byte of JSON");
        }

        if (length > ControlProtocol.MaxFrameBytes)
        {
            throw Broken(ControlErrorName.TooLarge, $"frame of {length} bytes refused: the limit is {ControlProtocol.MaxFrameBytes} bytes");
        }
    }

    private static ControlProtocolException Broken(ControlErrorName name, string message) =>
        new(name, message) { BreaksConnection = true };
}
