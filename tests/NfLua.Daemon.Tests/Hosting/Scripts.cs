namespace NfLua.Daemon.Tests.Hosting;

/// <summary>Rule scripts the in-process tier loads.</summary>
internal static class Scripts
{
    public const string Drop = "function filter(pkt) return false end";
    public const string Pass = "function filter(pkt) return true end";
    public const string Accept = "function filter(pkt) return 'accept' end";

    /// <summary>drop.lua, pass.lua and accept.lua, for configurations to name.</summary>
    public static Dictionary<string, string> Files => new()
    {
        ["drop.lua"] = Drop,
        ["pass.lua"] = Pass,
        ["accept.lua"] = Accept,
    };
}
