namespace NfLua.Control;

/// <summary>Constants of the control protocol spoken over the daemon's Unix socket.</summary>
/// <remarks>
/// Each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. A request is
/// <c>{"v":1,"id":N,"op":"load|unload|list|stats|status|reload","args":{...}}</c>; a response is
/// <c>{"v":1,"id":N,"ok":true,"result":{...}}</c> or <c>{"v":1,"id":N,"ok":false,"error":{"name":...,"message":...}}</c>.
/// </remarks>
public static class ControlProtocol
{
    /// <summary>The protocol version this library speaks, carried as <c>"v"</c> in every envelope.</summary>
    public const int Version = 1;

    /// <summary>The largest frame body either side accepts: 1 MiB. A larger announced length is refused before its body is read.</summary>
    public const int MaxFrameBytes = 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a frame; deeper documents are refused as bad requests.</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>Size of the big-endian length prefix of every frame.</summary>
    public const int FrameHeaderBytes = 4;
}
