namespace NfLua.Control;

/// <summary>Settings of a <see cref="ControlServer"/>; the defaults suit the daemon.</summary>
public sealed class ControlServerOptions
{
    /// <summary>Where the socket is created. Default <see cref="ControlSocketPath.Default"/>.</summary>
    public string SocketPath { get; init; } = ControlSocketPath.Default;

    /// <summary>The group whose members may use the socket besides root; the socket file is given to it (mode 0660).
    /// Null: only root may connect.</summary>
    public uint? GroupId { get; init; }

    /// <summary>Connections served at once. Default 64. When all are taken, the longest-idle connection is closed
    /// to make room; when none is idle, the newcomer gets a <see cref="ControlErrorName.Busy"/> error.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>How long a connection may wait between frames before it is closed. Default 30 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a frame may take from its first byte to its last, and how long sending a response may take.
    /// Default 5 s.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(SocketPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FrameTimeout, TimeSpan.Zero);
    }
}
