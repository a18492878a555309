namespace NfLua.Netlink;

/// <summary>How to bind and configure one queue. Defaults match the kernel's, plus fail-closed.</summary>
public sealed class NfQueueOptions
{
    /// <summary>The queue number (<c>--queue-num</c> of the iptables rule).</summary>
    public ushort QueueNumber { get; init; }

    /// <summary>How many packets the kernel holds for this queue before dropping (or accepting, with <see cref="FailOpen"/>). Default 1024.</summary>
    public uint MaxLength { get; init; } = 1024;

    /// <summary>How many bytes of each packet are copied to userspace. Default 65535 (whole packets; the kernel caps it at 65531).</summary>
    public uint CopyRange { get; init; } = 65535;

    /// <summary>Accept instead of dropping when the queue or the socket's receive buffer is full. Default false.</summary>
    public bool FailOpen { get; init; }

    /// <summary>Receive GSO packets unsegmented (NFQA_CFG_F_GSO). Default false.</summary>
    public bool Gso { get; init; }

    /// <summary>Report the uid and gid of the local socket a packet belongs to (NFQA_CFG_F_UID_GID). Default false.</summary>
    public bool UidGid { get; init; }

    /// <summary>Ask for conntrack information; when the kernel lacks it the queue is bound without it. Default false.</summary>
    public bool Conntrack { get; init; }

    /// <summary>The socket receive buffer in bytes; 0 (default) sizes it from <see cref="MaxLength"/>.</summary>
    public int ReceiveBufferSize { get; init; }

    /// <summary>
    /// The socket's send buffer in bytes; 0 (default) keeps the system's. The kernel refuses a datagram longer than it
    /// (EMSGSIZE): tests shrink it to make a verdict batch fail on a real socket.
    /// </summary>
    internal int SendBufferSize { get; init; }

    /// <summary>How many netlink datagrams one receive takes at most (recvmmsg). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Answer runs of consecutive packets sharing a verdict with one VERDICT_BATCH. Default true.</summary>
    public bool UseVerdictBatch { get; init; } = true;

    /// <summary>How long to wait for the kernel to acknowledge the configuration. Default 5 seconds.</summary>
    public TimeSpan ConfigureTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these options, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxLength == 0)
        {
            errors.Add("MaxLength must be at least 1.");
        }

        if (CopyRange is 0 or > 65535)
        {
            errors.Add("CopyRange must be between 1 and 65535.");
        }

        if (ReceiveBufferSize < 0)
        {
            errors.Add("ReceiveBufferSize must be 0 (automatic) or positive.");
        }

        if (BatchSize is < 1 or > 1024)
        {
            errors.Add("BatchSize must be between 1 and 1024.");
        }

        if (ConfigureTimeout <= TimeSpan.Zero)
        {
            errors.Add("ConfigureTimeout must be positive.");
        }

        return errors;
    }
}
