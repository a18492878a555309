namespace NfLua.Netlink.Interop;

/// <summary>enum nfqnl_msg_types: the low byte of a queue message type.</summary>
internal static class NfQueueMessageType
{
    /// <summary>NFQNL_MSG_PACKET.</summary>
    public const int Packet = 0;

    /// <summary>NFQNL_MSG_VERDICT.</summary>
    public const int Verdict = 1;

    /// <summary>NFQNL_MSG_CONFIG.</summary>
    public const int Config = 2;

    /// <summary>NFQNL_MSG_VERDICT_BATCH.</summary>
    public const int VerdictBatch = 3;
}
