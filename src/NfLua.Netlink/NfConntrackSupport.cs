namespace NfLua.Netlink;

/// <summary>Whether a queue delivers conntrack information.</summary>
public enum NfConntrackSupport
{
    /// <summary>Not asked for.</summary>
    NotRequested,

    /// <summary>Asked for and enabled.</summary>
    Enabled,

    /// <summary>Asked for, but the kernel lacks CONFIG_NETFILTER_NETLINK_GLUE_CT (EOPNOTSUPP): bound without it.</summary>
    NotSupported,
}
