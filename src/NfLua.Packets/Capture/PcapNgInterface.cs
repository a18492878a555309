namespace NfLua.Packets.Capture;

/// <summary>What an interface description block says about the packets of one interface.</summary>
/// <param name="LinkType">The link type.</param>
/// <param name="SnapLength">The most bytes captured per packet; 0 means no limit.</param>
/// <param name="TimestampResolution">if_tsresol: high bit clear, 10^-n seconds; set, 2^-n seconds. Default 6 (microseconds).</param>
/// <param name="TimestampOffsetSeconds">if_tsoffset: seconds added to every timestamp.</param>
/// <param name="Name">if_name: the interface's name, or null.</param>
internal sealed record PcapNgInterface(CaptureLinkType LinkType, uint SnapLength, byte TimestampResolution, long TimestampOffsetSeconds, string? Name)
{
    public long ToNanoseconds(ulong timestamp)
    {
        UInt128 value;
        if ((TimestampResolution & 0x80) != 0)
        {
            value = ((UInt128)timestamp * 1_000_000_000UL) >> (TimestampResolution & 0x7F);
        }
        else if (TimestampResolution <= 9)
        {
            value = (UInt128)timestamp * PowerOfTen(9 - TimestampResolution);
        }
        else
        {
            int divisorExponent = TimestampResolution - 9;
            value = divisorExponent > 38 ? 0 : timestamp / PowerOfTen(divisorExponent);
        }

        long nanoseconds = value > long.MaxValue ? long.MaxValue : (long)value;
        return unchecked(nanoseconds + (TimestampOffsetSeconds * 1_000_000_000L));
    }

    private static UInt128 PowerOfTen(int exponent)
    {
        UInt128 result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
