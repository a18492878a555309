namespace NfLua.Netlink;

/// <summary>The netfilter hook a packet was queued from (enum nf_inet_hooks).</summary>
public enum NetfilterHook : byte
{
    /// <summary>NF_INET_PRE_ROUTING.</summary>
    PreRouting = 0,

    /// <summary>NF_INET_LOCAL_IN.</summary>
    LocalIn = 1,

    /// <summary>NF_INET_FORWARD.</summary>
    Forward = 2,

    /// <summary>NF_INET_LOCAL_OUT.</summary>
    LocalOut = 3,

    /// <summary>NF_INET_POST_ROUTING.</summary>
    PostRouting = 4,
}
