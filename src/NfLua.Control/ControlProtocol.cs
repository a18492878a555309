namespace NfLua.Control;

/// <summary>Constants of the control protocol spoken over the daemon's Unix socket.</summary>
/// <remarks>
/// Each frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. A request is
/// <c>{"v":1,"id":N,"op":"load|unload|list|stats|status|reload|set-list|set-show|set-add|set-del|set-load","args":{...}}</c>; a response is
/// <c>{"v":1,"id":N,"ok":true,"result":{...}}</c> or <c>{"v":1,"id":N,"ok":false,"error":{"name":...,"message":...}}</c>.
/// </remarks>
public static class ControlProtocol
{
    /// <summary>The protocol version this library speaks, carried as <c>"v"</c> in every envelope.</summary>
    public const int Version = 1;

    /// <summary>
    /// The largest frame body either side accepts: 16 MiB, room for a rule script (or a set file for <c>set load</c>) of
    /// nearly that size. A larger announced length is refused before its body is read, and a body's memory is taken as
    /// its bytes arrive, not on the announcement.
    /// </summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a frame (rule parameters nest up to 16 levels inside the envelope);
    /// deeper documents are refused as bad requests.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Size of the big-endian length prefix of every frame.</summary>
    public const int FrameHeaderBytes = 4;
}
