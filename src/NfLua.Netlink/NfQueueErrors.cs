using System.Globalization;
using NfLua.Netlink.Interop;

namespace NfLua.Netlink;

/// <summary>Turns errno values into messages that say what is wrong and what to do.</summary>
internal static class NfQueueErrors
{
    public static NfQueueException OpenFailed(int errno)
    {
        string name = Errno.Name(errno);
        string advice = errno == 93 // EPROTONOSUPPORT
            ? "the kernel has no nfnetlink: load it (modprobe nfnetlink_queue)"
            : errno is 1 or 13 ? "this needs CAP_NET_ADMIN: run as root or grant the capability" : "check the kernel's netfilter support";
        return new NfQueueException($"cannot open a NETLINK_NETFILTER socket ({name}): {advice}", errno);
    }

    public static NfQueueException BindFailed(ushort queue, int errno, uint? holderPortId)
    {
        string name = Errno.Name(errno);
        string message = errno switch
        {
            1 when holderPortId is { } holder =>
                $"queue {queue} is held by another process ({name}; netlink portid {holder.ToString(CultureInfo.InvariantCulture)}): stop it or choose another --queue",
            1 => $"binding queue {queue} was refused ({name}): it needs CAP_NET_ADMIN in the network namespace's user namespace: run as root or grant the capability",
            16 => $"queue {queue} is already bound by this socket ({name}): bind each queue once",
            19 => $"queue {queue} cannot be bound ({name}): load the nfnetlink_queue module (modprobe nfnetlink_queue)",
            95 => $"queue {queue}: the kernel does not support a requested option ({name}): turn off fail-open, GSO or uid/gid, or use a kernel that has them",
            _ => $"configuring queue {queue} failed ({name})",
        };
        return new NfQueueException(message, errno);
    }

    public static NfQueueException ConfigureTimedOut(ushort queue, TimeSpan timeout) =>
        new($"queue {queue}: the kernel did not acknowledge the configuration within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");

    public static NfQueueException SocketFailed(ushort queue, string call, int errno) =>
        new($"queue {queue}: {call} failed ({Errno.Name(errno)}); the socket is unusable: close and reopen the queue", errno);
}
