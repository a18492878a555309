namespace NfLua.Examples.Tests;

/// <summary>One packet of an example's capture and the verdict the rule must give it.</summary>
/// <param name="Name">What the packet is, for failure messages.</param>
/// <param name="Packet">The IP packet.</param>
/// <param name="Verdict">The verdict word nflua-ctl prints: pass, accept, drop, ...</param>
/// <param name="Mark">The mark the verdict must carry; null when it must carry none.</param>
internal sealed record ExampleCase(string Name, byte[] Packet, string Verdict, uint? Mark = null)
{
    public static ExampleCase Pass(string name, byte[] packet) => new(name, packet, "pass");

    public static ExampleCase Drop(string name, byte[] packet) => new(name, packet, "drop");
}
