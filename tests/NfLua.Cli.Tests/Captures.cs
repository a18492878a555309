using NfLua.Packets.Capture;

namespace NfLua.Cli.Tests;

/// <summary>Writes capture files for the tests with the project's own writers.</summary>
internal static class Captures
{
    public static string WritePcap(string path, CaptureLinkType linkType, params byte[][] packets)
    {
        using FileStream file = File.Create(path);
        var writer = new PcapWriter(file, linkType);
        foreach (byte[] packet in packets)
        {
            writer.WritePacket(packet);
        }

        return path;
    }

    public static string WritePcapNg(string path, CaptureLinkType linkType, params byte[][] packets)
    {
        using FileStream file = File.Create(path);
        var writer = new PcapNgWriter(file);
        int interfaceId = writer.AddInterface(linkType);
        foreach (byte[] packet in packets)
        {
            writer.WritePacket(interfaceId, packet);
        }

        return path;
    }
}
