using System.CommandLine.Parsing;
using System.Globalization;

namespace NfLua.CommandLine;

/// <summary>Parses <c>--queue N</c> for nfluad and nflua-ctl, so that a number out of range reads "--queue must be
/// 0-65535, not '70000'" instead of the parser's message about System.UInt16.</summary>
internal static class QueueNumberParser
{
    public static ushort ParseOne(ArgumentResult result) =>
        result.Tokens.Count == 1 ? Parse(result, result.Tokens[0].Value) : default;

    public static ushort[] ParseMany(ArgumentResult result) => [.. result.Tokens.Select(token => Parse(result, token.Value))];

    private static ushort Parse(ArgumentResult result, string text)
    {
        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort queue))
        {
            return queue;
        }

        string option = result.Parent is OptionResult owner ? owner.Option.Name : "a queue";
        result.AddError($"{option} must be 0-65535, not '{text}'");
        return default;
    }
}
