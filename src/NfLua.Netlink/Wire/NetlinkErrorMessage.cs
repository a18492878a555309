using NfLua.Netlink.Interop;

namespace NfLua.Netlink.Wire;

/// <summary>Parses NLMSG_ERROR: <c>struct nlmsgerr { int error; struct nlmsghdr msg; }</c>.</summary>
internal static class NetlinkErrorMessage
{
    private const int Size = sizeof(int) + NetlinkConstants.MessageHeaderSize;

    /// <summary>
    /// Reads the errno (positive; 0 is an acknowledgement) and the sequence number of the request it answers.
    /// Returns false when the message is too short to be an nlmsgerr (as libmnl's EBADMSG).
    /// </summary>
    public static bool TryParse(NetlinkMessage message, out int errno, out uint sequence)
    {
        errno = 0;
        sequence = 0;
        ReadOnlySpan<byte> payload = message.Payload;
        if (message.Type != NetlinkMessageType.Error || payload.Length < Size)
        {
            return false;
        }

        int error = HostOrder.ReadInt32HostOrder(payload);
        if (error > 0 || error == int.MinValue)
        {
            return false;
        }

        errno = -error;
        sequence = HostOrder.ReadUInt32HostOrder(payload[(sizeof(int) + 8)..]);
        return true;
    }
}
