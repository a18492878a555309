using System.Runtime.InteropServices;

namespace NfLua.Netlink.Wire;

/// <summary>Netlink and attribute headers are in host byte order; everything inside an NFQA payload is big-endian.</summary>
internal static class HostOrder
{
    public static ushort ReadUInt16HostOrder(ReadOnlySpan<byte> source) => MemoryMarshal.Read<ushort>(source);

    public static uint ReadUInt32HostOrder(ReadOnlySpan<byte> source) => MemoryMarshal.Read<uint>(source);

    public static int ReadInt32HostOrder(ReadOnlySpan<byte> source) => MemoryMarshal.Read<int>(source);

    public static void WriteUInt16HostOrder(Span<byte> destination, ushort value) => MemoryMarshal.Write(destination, in value);

    public static void WriteUInt32HostOrder(Span<byte> destination, uint value) => MemoryMarshal.Write(destination, in value);
}
