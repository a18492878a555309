using NfLua.Netlink.Interop;
using Tmds.Linux;

namespace NfLua.Netlink.Tests;

/// <summary>recvmmsg into the pinned slots, over an AF_UNIX datagram socketpair (no privileges needed).</summary>
public sealed unsafe class MessageSlotsTests : IDisposable
{
    private readonly NetlinkSocket _receiver;
    private readonly int _sender;

    public MessageSlotsTests()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0, fds));
        _receiver = NetlinkSocket.Adopt(fds[0]);
        _sender = fds[1];
    }

    [Fact]
    public void ReceiveMany_TakesEveryReadyDatagram_InOneCall_AndFlagsTruncation()
    {
        var slots = new MessageSlots(count: 4, slotSize: 64);
        Send(Enumerable.Repeat((byte)1, 10).ToArray());
        Send(Enumerable.Repeat((byte)2, 100).ToArray());
        Send(Enumerable.Repeat((byte)3, 64).ToArray());

        Assert.Equal(0, _receiver.WaitReadable(1000));
        Assert.Equal(0, _receiver.ReceiveMany(slots, out int count));

        Assert.Equal(3, count);
        Assert.Equal(Enumerable.Repeat((byte)1, 10), slots.Received(0).ToArray());
        Assert.False(slots.IsTruncated(0));
        Assert.True(slots.IsTruncated(1));
        Assert.Equal(64, slots.Received(1).Length);
        Assert.False(slots.IsTruncated(2));
        Assert.Equal(Enumerable.Repeat((byte)3, 64), slots.Received(2).ToArray());
    }

    [Fact]
    public void ReceiveMany_TakesNoMoreThanTheSlotCount()
    {
        var slots = new MessageSlots(count: 2, slotSize: 16);
        for (byte i = 0; i < 3; i++)
        {
            Send([i]);
        }

        Assert.Equal(0, _receiver.ReceiveMany(slots, out int first));
        Assert.Equal(0, _receiver.ReceiveMany(slots, out int second));

        Assert.Equal(2, first);
        Assert.Equal(1, second);
        Assert.Equal([2], slots.Received(0).ToArray());
    }

    [Fact]
    public void ReceiveMany_WithNothingReady_ReturnsEagain_WithoutBlocking()
    {
        var slots = new MessageSlots(count: 2, slotSize: 16);

        Assert.Equal(Errno.WouldBlock, _receiver.ReceiveMany(slots, out int count));
        Assert.Equal(0, count);
    }

    [Fact]
    public void WaitReadable_TimesOutWithEagain()
    {
        Assert.Equal(Errno.WouldBlock, _receiver.WaitReadable(10));
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _ = LibC.close(_sender);
    }

    private void Send(byte[] data)
    {
        fixed (byte* p = data)
        {
            Assert.Equal(data.Length, (long)LibC.send(_sender, p, (size_t)(nuint)data.Length, 0));
        }
    }
}
