namespace NfLua.Packets.Capture;

/// <summary>The state a pcapng section sets up for the blocks after it: byte order and interfaces.</summary>
internal sealed class PcapNgSection
{
    public CaptureByteOrder Order { get; private set; }

    public List<PcapNgInterface> Interfaces { get; } = [];

    public void Start(CaptureByteOrder order)
    {
        Order = order;
        Interfaces.Clear();
    }
}
