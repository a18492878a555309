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

    [Fact]
    public void ReceiveManyWaiting_TakesEveryReadyDatagram_InOneCall()
    {
        var slots = new MessageSlots(count: 4, slotSize: 16);
        Send([1]);
        Send([2]);

        Assert.Equal(0, _receiver.ReceiveManyWaiting(slots, 1000, out int count));

        Assert.Equal(2, count);
        Assert.Equal([2], slots.Received(1).ToArray());
    }

    [Fact]
    public void ReceiveManyWaiting_BlocksUntilADatagramArrives()
    {
        // Nothing is ready when the call starts: a non-blocking receive would return EAGAIN at once.
        var slots = new MessageSlots(count: 4, slotSize: 16);
        var sender = new Thread(() =>
        {
            Thread.Sleep(100);
            Send([7]);
        });
        sender.Start();

        int error = _receiver.ReceiveManyWaiting(slots, 30_000, out int count);
        sender.Join();

        Assert.Equal(0, error);
        Assert.Equal(1, count);
        Assert.Equal([7], slots.Received(0).ToArray());
    }

    [Fact]
    public void ReceiveManyWaiting_TimesOutWithEagain_AndZeroDoesNotWait()
    {
        var slots = new MessageSlots(count: 2, slotSize: 16);

        Assert.Equal(Errno.WouldBlock, _receiver.ReceiveManyWaiting(slots, 10, out int waited));
        Assert.Equal(Errno.WouldBlock, _receiver.ReceiveManyWaiting(slots, 0, out int polled));
        Send([3]);
        Assert.Equal(0, _receiver.ReceiveManyWaiting(slots, 0, out int ready));

        Assert.Equal((0, 0, 1), (waited, polled, ready));
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
