using NfLua.Packets.Sets;

namespace NfLua.Daemon.Configuration;

/// <summary>The words of <see cref="SetKind"/> as the configuration and nflua-ctl write them.</summary>
internal static class SetKinds
{
    /// <summary>"cidr", "domain" or "string".</summary>
    public static string Word(SetKind kind) => kind switch
    {
        SetKind.Cidr => "cidr",
        SetKind.Domain => "domain",
        _ => "string",
    };

    /// <summary>The kind a word names; false for anything but "cidr", "domain" and "string".</summary>
    public static bool TryParse(string? word, out SetKind kind)
    {
        (bool known, kind) = word switch
        {
            "cidr" => (true, SetKind.Cidr),
            "domain" => (true, SetKind.Domain),
            "string" => (true, SetKind.Exact),
            _ => (false, SetKind.Cidr),
        };
        return known;
    }
}
