using Tmds.Linux;

namespace NfLua.Netlink.Interop;

/// <summary>The errno values NfLua.Netlink reacts to, named.</summary>
internal static class Errno
{
    public static int Interrupted => LibC.EINTR;

    public static int WouldBlock => LibC.EAGAIN;

    public static int NoBufferSpace => LibC.ENOBUFS;

    public static int NotPermitted => LibC.EPERM;

    public static int Busy => LibC.EBUSY;

    public static int NoDevice => LibC.ENODEV;

    public static int NotSupported => LibC.EOPNOTSUPP;

    public static int NoEntry => LibC.ENOENT;

    /// <summary>The symbolic name of an errno value, for messages.</summary>
    public static string Name(int errno) => errno switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        4 => "EINTR",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        16 => "EBUSY",
        19 => "ENODEV",
        22 => "EINVAL",
        93 => "EPROTONOSUPPORT",
        95 => "EOPNOTSUPP",
        105 => "ENOBUFS",
        111 => "ECONNREFUSED",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
