namespace NfLua.Netlink;

/// <summary>The netfilter verdicts a queue may return (NF_DROP .. NF_STOP).</summary>
public enum NfVerdictKind : byte
{
    /// <summary>NF_DROP.</summary>
    Drop = 0,

    /// <summary>NF_ACCEPT: continue with the next hook (not the next rule of the chain).</summary>
    Accept = 1,

    /// <summary>NF_QUEUE: send to another queue.</summary>
    Queue = 3,

    /// <summary>NF_REPEAT: run the hook again; pair it with a mark and a rule that skips marked packets.</summary>
    Repeat = 4,

    /// <summary>NF_STOP: accept without running the rest of this hook's chains.</summary>
    Stop = 5,
}
