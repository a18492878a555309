using System.Buffers.Binary;

namespace NfLua.Packets.Capture;

/// <summary>Reads and writes capture header numbers in the byte order the file declared.</summary>
internal readonly record struct CaptureByteOrder(bool IsBigEndian)
{
    public ushort ReadUInt16(ReadOnlySpan<byte> bytes) =>
        IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    public uint ReadUInt32(ReadOnlySpan<byte> bytes) =>
        IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    public long ReadInt64(ReadOnlySpan<byte> bytes) =>
        IsBigEndian ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes);

    public void WriteUInt16(Span<byte> bytes, ushort value)
    {
        if (IsBigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }
    }

    public void WriteUInt32(Span<byte> bytes, uint value)
    {
        if (IsBigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
    }

    public void WriteInt64(Span<byte> bytes, long value)
    {
        if (IsBigEndian)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        }
    }
}
