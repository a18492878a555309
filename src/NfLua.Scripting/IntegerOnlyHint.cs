using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace NfLua.Scripting;

/// <summary>
/// Turns Lua's "malformed number near '2.5'", which is what NfLua's integer-only Lua says of a float literal, into
/// what the author needs to read: the language has no floats here, and how to scale the value.
/// </summary>
public static partial class IntegerOnlyHint
{
    /// <summary><paramref name="error"/> with a float literal's message rewritten; any other message as it was.</summary>
    public static string Rewrite(string error)
    {
        Match m = FloatLiteral().Match(error);
        if (!m.Success)
        {
            return error;
        }

        string literal = m.Groups["n"].Value;
        return error[..m.Index] + $"NfLua's Lua is integer-only: {literal} is not a number here ({Advice(literal)})" + error[(m.Index + m.Length)..];
    }

    private static string Advice(string literal)
    {
        int e = literal.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? literal : literal[..e];
        int exponent = 0;
        if (e >= 0 && !int.TryParse(literal[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return "use integers: scale the value";
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int fraction = (dot < 0 ? 0 : mantissa.Length - dot - 1) - exponent; // decimal places left once the exponent is applied
        if (digits.Length == 0 || digits.Length > 30 || fraction < -40 || fraction > 40)
        {
            return "use integers: scale the value";
        }

        BigInteger value = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (fraction <= 0)
        {
            BigInteger whole = value * BigInteger.Pow(10, -fraction);
            return whole <= long.MaxValue ? $"write it as the integer {whole}" : "it is larger than the largest integer, 9223372036854775807";
        }

        // Trailing zeros of the fraction need no scaling: 2.50 is 25 tenths.
        while (fraction > 0 && value % 10 == 0 && value != 0)
        {
            value /= 10;
            fraction--;
        }

        return fraction switch
        {
            0 => $"write it as the integer {value}",
            1 => $"scale it: {value} tenths",
            2 => $"scale it: {value} hundredths",
            3 => $"scale it: {value} thousandths",
            6 => $"scale it: {value} millionths",
            _ => $"scale it: {value} units of 10^-{fraction}",
        };
    }

    // Lua's lexer message for a decimal literal with a point or an exponent (hexadecimal ones are not floats here
    // either, but have their own forms: left as Lua says them).
    [GeneratedRegex(@"malformed number near '(?<n>(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?)'")]
    private static partial Regex FloatLiteral();
}
