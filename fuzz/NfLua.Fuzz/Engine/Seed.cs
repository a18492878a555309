namespace NfLua.Fuzz.Engine;

/// <summary>A named corpus input.</summary>
/// <param name="Name">The file name it is written under.</param>
/// <param name="Bytes">The input.</param>
internal sealed record Seed(string Name, byte[] Bytes);
