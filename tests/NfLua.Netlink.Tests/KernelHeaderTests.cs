using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NfLua.Netlink.Interop;
using NfLua.Netlink.Wire;

namespace NfLua.Netlink.Tests;

/// <summary>Every constant and struct layout we declare, checked against the kernel headers by gcc.</summary>
public sealed class KernelHeaderTests
{
    private const string Program = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <errno.h>
        #include <sys/socket.h>
        #include <linux/netlink.h>
        #include <linux/netfilter.h>
        #include <linux/netfilter/nfnetlink.h>
        #include <linux/netfilter/nfnetlink_queue.h>
        #define P(x) printf("%s %ld\n", #x, (long)(x))
        #define S(t) printf("sizeof(%s) %ld\n", #t, (long)sizeof(t))
        #define O(t, f) printf("offsetof(%s,%s) %ld\n", #t, #f, (long)offsetof(t, f))
        int main(void) {
          P(AF_NETLINK); P(NETLINK_NETFILTER); P(SOL_NETLINK); P(NETLINK_NO_ENOBUFS); P(NLMSG_ALIGNTO); P(NLA_ALIGNTO);
          printf("NLA_TYPE_MASK %ld\n", (long)(unsigned short)NLA_TYPE_MASK); P(NFNL_SUBSYS_QUEUE); P(NFNETLINK_V0);
          P(NLMSG_NOOP); P(NLMSG_ERROR); P(NLMSG_DONE); P(NLMSG_OVERRUN);
          P(NLM_F_REQUEST); P(NLM_F_MULTI); P(NLM_F_ACK);
          P(NFQNL_MSG_PACKET); P(NFQNL_MSG_VERDICT); P(NFQNL_MSG_CONFIG); P(NFQNL_MSG_VERDICT_BATCH);
          P(NFQA_PACKET_HDR); P(NFQA_VERDICT_HDR); P(NFQA_MARK); P(NFQA_TIMESTAMP); P(NFQA_IFINDEX_INDEV);
          P(NFQA_IFINDEX_OUTDEV); P(NFQA_IFINDEX_PHYSINDEV); P(NFQA_IFINDEX_PHYSOUTDEV); P(NFQA_HWADDR); P(NFQA_PAYLOAD);
          P(NFQA_CT); P(NFQA_CT_INFO); P(NFQA_CAP_LEN); P(NFQA_SKB_INFO); P(NFQA_EXP); P(NFQA_UID); P(NFQA_GID);
          P(NFQA_SECCTX); P(NFQA_VLAN); P(NFQA_L2HDR); P(NFQA_PRIORITY);
          P(NFQA_CFG_CMD); P(NFQA_CFG_PARAMS); P(NFQA_CFG_QUEUE_MAXLEN); P(NFQA_CFG_MASK); P(NFQA_CFG_FLAGS);
          P(NFQNL_CFG_CMD_NONE); P(NFQNL_CFG_CMD_BIND); P(NFQNL_CFG_CMD_UNBIND); P(NFQNL_CFG_CMD_PF_BIND); P(NFQNL_CFG_CMD_PF_UNBIND);
          P(NFQNL_COPY_NONE); P(NFQNL_COPY_META); P(NFQNL_COPY_PACKET);
          P(NFQA_CFG_F_FAIL_OPEN); P(NFQA_CFG_F_CONNTRACK); P(NFQA_CFG_F_GSO); P(NFQA_CFG_F_UID_GID); P(NFQA_CFG_F_SECCTX);
          P(NFQA_SKB_CSUMNOTREADY); P(NFQA_SKB_GSO); P(NFQA_SKB_CSUM_NOTVERIFIED);
          P(NF_DROP); P(NF_ACCEPT); P(NF_QUEUE); P(NF_REPEAT); P(NF_STOP); P(NF_VERDICT_FLAG_QUEUE_BYPASS); P(NF_VERDICT_QBITS);
          P(NF_INET_PRE_ROUTING); P(NF_INET_LOCAL_IN); P(NF_INET_FORWARD); P(NF_INET_LOCAL_OUT); P(NF_INET_POST_ROUTING);
          P(EPERM); P(ENOENT); P(EINTR); P(EAGAIN); P(EBUSY); P(ENODEV); P(EOPNOTSUPP); P(ENOBUFS); P(EPROTONOSUPPORT);
          P(SOL_SOCKET); P(SO_RCVBUF); P(SO_RCVBUFFORCE);
          S(struct sockaddr_nl); O(struct sockaddr_nl, nl_family); O(struct sockaddr_nl, nl_pid); O(struct sockaddr_nl, nl_groups);
          S(struct nlmsghdr); O(struct nlmsghdr, nlmsg_len); O(struct nlmsghdr, nlmsg_type); O(struct nlmsghdr, nlmsg_flags);
          O(struct nlmsghdr, nlmsg_seq); O(struct nlmsghdr, nlmsg_pid);
          S(struct nlattr); O(struct nlattr, nla_len); O(struct nlattr, nla_type);
          S(struct nlmsgerr); S(struct nfgenmsg); O(struct nfgenmsg, res_id);
          S(struct nfqnl_msg_packet_hdr); O(struct nfqnl_msg_packet_hdr, hw_protocol); O(struct nfqnl_msg_packet_hdr, hook);
          S(struct nfqnl_msg_packet_hw); O(struct nfqnl_msg_packet_hw, hw_addr); S(struct nfqnl_msg_packet_timestamp);
          S(struct nfqnl_msg_verdict_hdr); O(struct nfqnl_msg_verdict_hdr, id);
          S(struct nfqnl_msg_config_cmd); O(struct nfqnl_msg_config_cmd, pf);
          S(struct nfqnl_msg_config_params); O(struct nfqnl_msg_config_params, copy_mode);
          S(struct mmsghdr); O(struct mmsghdr, msg_len); S(struct msghdr); O(struct msghdr, msg_flags);
          return 0;
        }
        """;

    private static readonly Lazy<Dictionary<string, long>> s_kernel = new(CompileAndRun);

    public static TheoryData<string, long> Ours => new()
    {
        { "AF_NETLINK", NetlinkConstants.AddressFamilyNetlink },
        { "NETLINK_NETFILTER", NetlinkConstants.ProtocolNetfilter },
        { "SOL_NETLINK", NetlinkConstants.SolNetlink },
        { "NETLINK_NO_ENOBUFS", (long)NetlinkSocketOption.NoEnobufs },
        { "NLMSG_ALIGNTO", NetlinkConstants.Alignment },
        { "NLA_ALIGNTO", NetlinkConstants.Alignment },
        { "NLA_TYPE_MASK", NetlinkConstants.AttributeTypeMask },
        { "NFNL_SUBSYS_QUEUE", NetlinkConstants.SubsystemQueue },
        { "NFNETLINK_V0", NetlinkConstants.NfNetlinkVersion0 },
        { "NLMSG_NOOP", (long)NetlinkMessageType.Noop },
        { "NLMSG_ERROR", (long)NetlinkMessageType.Error },
        { "NLMSG_DONE", (long)NetlinkMessageType.Done },
        { "NLMSG_OVERRUN", (long)NetlinkMessageType.Overrun },
        { "NLM_F_REQUEST", (long)NetlinkMessageFlags.Request },
        { "NLM_F_MULTI", (long)NetlinkMessageFlags.Multi },
        { "NLM_F_ACK", (long)NetlinkMessageFlags.Ack },
        { "NFQNL_MSG_PACKET", (long)NetlinkMessageType.QueuePacket & 0xFF },
        { "NFQNL_MSG_VERDICT", (long)NetlinkMessageType.QueueVerdict & 0xFF },
        { "NFQNL_MSG_CONFIG", (long)NetlinkMessageType.QueueConfig & 0xFF },
        { "NFQNL_MSG_VERDICT_BATCH", (long)NetlinkMessageType.QueueVerdictBatch & 0xFF },
        { "NFQA_PACKET_HDR", (long)NfQueueAttribute.PacketHeader },
        { "NFQA_VERDICT_HDR", (long)NfQueueAttribute.VerdictHeader },
        { "NFQA_MARK", (long)NfQueueAttribute.Mark },
        { "NFQA_TIMESTAMP", (long)NfQueueAttribute.Timestamp },
        { "NFQA_IFINDEX_INDEV", (long)NfQueueAttribute.InputInterface },
        { "NFQA_IFINDEX_OUTDEV", (long)NfQueueAttribute.OutputInterface },
        { "NFQA_IFINDEX_PHYSINDEV", (long)NfQueueAttribute.PhysicalInputInterface },
        { "NFQA_IFINDEX_PHYSOUTDEV", (long)NfQueueAttribute.PhysicalOutputInterface },
        { "NFQA_HWADDR", (long)NfQueueAttribute.HardwareAddress },
        { "NFQA_PAYLOAD", (long)NfQueueAttribute.Payload },
        { "NFQA_CT", (long)NfQueueAttribute.Conntrack },
        { "NFQA_CT_INFO", (long)NfQueueAttribute.ConntrackInfo },
        { "NFQA_CAP_LEN", (long)NfQueueAttribute.CaptureLength },
        { "NFQA_SKB_INFO", (long)NfQueueAttribute.SkbInfo },
        { "NFQA_EXP", (long)NfQueueAttribute.Expectation },
        { "NFQA_UID", (long)NfQueueAttribute.Uid },
        { "NFQA_GID", (long)NfQueueAttribute.Gid },
        { "NFQA_SECCTX", (long)NfQueueAttribute.SecurityContext },
        { "NFQA_VLAN", (long)NfQueueAttribute.Vlan },
        { "NFQA_L2HDR", (long)NfQueueAttribute.Layer2Header },
        { "NFQA_PRIORITY", (long)NfQueueAttribute.Priority },
        { "NFQA_CFG_CMD", (long)NfQueueConfigAttribute.Command },
        { "NFQA_CFG_PARAMS", (long)NfQueueConfigAttribute.Parameters },
        { "NFQA_CFG_QUEUE_MAXLEN", (long)NfQueueConfigAttribute.QueueMaxLength },
        { "NFQA_CFG_MASK", (long)NfQueueConfigAttribute.Mask },
        { "NFQA_CFG_FLAGS", (long)NfQueueConfigAttribute.Flags },
        { "NFQNL_CFG_CMD_NONE", (long)NfQueueConfigCommand.None },
        { "NFQNL_CFG_CMD_BIND", (long)NfQueueConfigCommand.Bind },
        { "NFQNL_CFG_CMD_UNBIND", (long)NfQueueConfigCommand.Unbind },
        { "NFQNL_CFG_CMD_PF_BIND", (long)NfQueueConfigCommand.ProtocolFamilyBind },
        { "NFQNL_CFG_CMD_PF_UNBIND", (long)NfQueueConfigCommand.ProtocolFamilyUnbind },
        { "NFQNL_COPY_NONE", (long)NfQueueCopyMode.None },
        { "NFQNL_COPY_META", (long)NfQueueCopyMode.Meta },
        { "NFQNL_COPY_PACKET", (long)NfQueueCopyMode.Packet },
        { "NFQA_CFG_F_FAIL_OPEN", (long)NfQueueConfigFlags.FailOpen },
        { "NFQA_CFG_F_CONNTRACK", (long)NfQueueConfigFlags.Conntrack },
        { "NFQA_CFG_F_GSO", (long)NfQueueConfigFlags.Gso },
        { "NFQA_CFG_F_UID_GID", (long)NfQueueConfigFlags.UidGid },
        { "NFQA_CFG_F_SECCTX", (long)NfQueueConfigFlags.SecurityContext },
        { "NFQA_SKB_CSUMNOTREADY", (long)NfQueueSkbInfo.ChecksumNotReady },
        { "NFQA_SKB_GSO", (long)NfQueueSkbInfo.Gso },
        { "NFQA_SKB_CSUM_NOTVERIFIED", (long)NfQueueSkbInfo.ChecksumNotVerified },
        { "NF_DROP", NfVerdict.Drop.Value },
        { "NF_ACCEPT", NfVerdict.Accept.Value },
        { "NF_QUEUE", (long)NfVerdictKind.Queue },
        { "NF_REPEAT", NfVerdict.Repeat.Value },
        { "NF_STOP", NfVerdict.Stop.Value },
        { "NF_VERDICT_FLAG_QUEUE_BYPASS", NfVerdict.Queue(0, bypass: true).Value & ~0xFFu },
        { "NF_VERDICT_QBITS", 16 },
        { "NF_INET_PRE_ROUTING", (long)NetfilterHook.PreRouting },
        { "NF_INET_LOCAL_IN", (long)NetfilterHook.LocalIn },
        { "NF_INET_FORWARD", (long)NetfilterHook.Forward },
        { "NF_INET_LOCAL_OUT", (long)NetfilterHook.LocalOut },
        { "NF_INET_POST_ROUTING", (long)NetfilterHook.PostRouting },
        { "EPERM", Errno.NotPermitted },
        { "ENOENT", Errno.NoEntry },
        { "EINTR", Errno.Interrupted },
        { "EAGAIN", Errno.WouldBlock },
        { "EBUSY", Errno.Busy },
        { "ENODEV", Errno.NoDevice },
        { "EOPNOTSUPP", Errno.NotSupported },
        { "ENOBUFS", Errno.NoBufferSpace },
        { "EPROTONOSUPPORT", 93 },
        { "SOL_SOCKET", 1 },
        { "SO_RCVBUF", 8 },
        { "SO_RCVBUFFORCE", 33 },
        { "sizeof(struct sockaddr_nl)", Unsafe.SizeOf<NetlinkSocketAddress>() },
        { "offsetof(struct sockaddr_nl,nl_family)", Offset<NetlinkSocketAddress>(nameof(NetlinkSocketAddress.nl_family)) },
        { "offsetof(struct sockaddr_nl,nl_pid)", Offset<NetlinkSocketAddress>(nameof(NetlinkSocketAddress.nl_pid)) },
        { "offsetof(struct sockaddr_nl,nl_groups)", Offset<NetlinkSocketAddress>(nameof(NetlinkSocketAddress.nl_groups)) },
        { "sizeof(struct nlmsghdr)", NetlinkConstants.MessageHeaderSize },
        { "offsetof(struct nlmsghdr,nlmsg_len)", Offset<NetlinkMessageHeader>(nameof(NetlinkMessageHeader.nlmsg_len)) },
        { "offsetof(struct nlmsghdr,nlmsg_type)", Offset<NetlinkMessageHeader>(nameof(NetlinkMessageHeader.nlmsg_type)) },
        { "offsetof(struct nlmsghdr,nlmsg_flags)", Offset<NetlinkMessageHeader>(nameof(NetlinkMessageHeader.nlmsg_flags)) },
        { "offsetof(struct nlmsghdr,nlmsg_seq)", Offset<NetlinkMessageHeader>(nameof(NetlinkMessageHeader.nlmsg_seq)) },
        { "offsetof(struct nlmsghdr,nlmsg_pid)", Offset<NetlinkMessageHeader>(nameof(NetlinkMessageHeader.nlmsg_pid)) },
        { "sizeof(struct nlattr)", NetlinkConstants.AttributeHeaderSize },
        { "offsetof(struct nlattr,nla_len)", Offset<NetlinkAttributeHeader>(nameof(NetlinkAttributeHeader.nla_len)) },
        { "offsetof(struct nlattr,nla_type)", Offset<NetlinkAttributeHeader>(nameof(NetlinkAttributeHeader.nla_type)) },
        { "sizeof(struct nlmsgerr)", sizeof(int) + NetlinkConstants.MessageHeaderSize },
        { "sizeof(struct nfgenmsg)", NetlinkConstants.NfGenMessageSize },
        { "offsetof(struct nfgenmsg,res_id)", 2 },
        { "sizeof(struct nfqnl_msg_packet_hdr)", NfQueuePacketParser.PacketHeaderSize },
        { "offsetof(struct nfqnl_msg_packet_hdr,hw_protocol)", 4 },
        { "offsetof(struct nfqnl_msg_packet_hdr,hook)", 6 },
        { "sizeof(struct nfqnl_msg_packet_hw)", NfQueuePacketParser.HardwareAddressHeaderSize + NfQueuePacketParser.HardwareAddressMaxLength },
        { "offsetof(struct nfqnl_msg_packet_hw,hw_addr)", NfQueuePacketParser.HardwareAddressHeaderSize },
        { "sizeof(struct nfqnl_msg_packet_timestamp)", NfQueuePacketParser.TimestampSize },
        { "sizeof(struct nfqnl_msg_verdict_hdr)", 8 },
        { "offsetof(struct nfqnl_msg_verdict_hdr,id)", 4 },
        { "sizeof(struct nfqnl_msg_config_cmd)", 4 },
        { "offsetof(struct nfqnl_msg_config_cmd,pf)", 2 },
        { "sizeof(struct nfqnl_msg_config_params)", 5 },
        { "offsetof(struct nfqnl_msg_config_params,copy_mode)", 4 },
        { "sizeof(struct mmsghdr)", Unsafe.SizeOf<MultiMessageHeader>() },
        { "offsetof(struct mmsghdr,msg_len)", Offset<MultiMessageHeader>(nameof(MultiMessageHeader.msg_len)) },
        { "sizeof(struct msghdr)", Unsafe.SizeOf<Tmds.Linux.msghdr>() },
        { "offsetof(struct msghdr,msg_flags)", MsgFlagsOffset() },
    };

    [Theory]
    [MemberData(nameof(Ours))]
    public void Constant_MatchesTheKernelHeaders(string name, long ours)
    {
        Assert.True(s_kernel.Value.TryGetValue(name, out long kernel), $"the C program printed no {name}");
        Assert.Equal(kernel, ours);
    }

    [Fact]
    public void EveryValueTheHeadersPrint_IsCheckedByATest()
    {
        var checkedNames = Ours.Select(row => (string)row.Data.Item1).ToHashSet();

        string[] notCompared = s_kernel.Value.Keys.Where(name => !checkedNames.Contains(name)).ToArray();
        Assert.True(notCompared.Length == 0, "printed but not compared: " + string.Join(", ", notCompared));
    }

    // Tmds.LibC keeps msghdr's fields private behind properties: find msg_flags by the value written to it.
    private static long MsgFlagsOffset()
    {
        var header = new Tmds.Linux.msghdr { msg_flags = 0x5A6B7C8D };
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<Tmds.Linux.msghdr>(in header));
        return bytes.IndexOf((ReadOnlySpan<byte>)[0x8D, 0x7C, 0x6B, 0x5A]);
    }

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();

    private static Dictionary<string, long> CompileAndRun()
    {
        string dir = Directory.CreateTempSubdirectory("nflua-headers-").FullName;
        try
        {
            string source = Path.Combine(dir, "headers.c");
            string binary = Path.Combine(dir, "headers");
            File.WriteAllText(source, Program);
            ProcessResult compile = ProcessRunner.Run("gcc", ["-Wall", "-Werror", "-o", binary, source]);
            Assert.True(compile.ExitCode == 0, $"gcc failed (install gcc and linux-libc-dev):\n{compile.StdErr}");
            ProcessResult run = ProcessRunner.Run(binary, []);
            Assert.Equal(0, run.ExitCode);
            return run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(
                    line => line[..line.LastIndexOf(' ')],
                    line => long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
