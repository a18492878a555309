using System.Globalization;
using NfLua.Control;

namespace NfLua.Cli.Daemon;

/// <summary>A request that would not fit in one control frame is refused before it is sent, saying so.</summary>
internal static class RequestSize
{
    /// <summary>Null when <paramref name="command"/> fits in a frame; else "script too large (N &gt; M bytes ...)" for the user.</summary>
    public static string? TooLarge(ControlCommand command, string what)
    {
        int encoded = ControlCodec.EncodeRequest(new ControlRequest(1, command)).Length;
        return encoded <= ControlProtocol.MaxFrameBytes
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{what} too large ({encoded} > {ControlProtocol.MaxFrameBytes} bytes as sent: the control socket's frame limit is 16 MiB)");
    }
}
