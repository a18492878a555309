using NfLua.Scripting;

namespace NfLua.Cli;

/// <summary>
/// <c>--param key=value</c> arguments as rule parameters: the value is an integer when it reads as one (decimal or
/// 0x hexadecimal), true or false, else the text itself (<see cref="RuleParams.ParseText"/>). Shared by the commands
/// that give a rule parameters.
/// </summary>
internal static class ParamArguments
{
    /// <summary>Parses one <c>key=value</c>.</summary>
    /// <param name="text">The argument as given.</param>
    /// <param name="key">The key: not empty, no spaces or control characters.</param>
    /// <param name="value">The value: a string, <see cref="long"/> or <see cref="bool"/>.</param>
    /// <param name="error">What is wrong, in one line, when the method returns false.</param>
    public static bool TryParse(string text, out string key, out object value, out string? error)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        key = equals < 0 ? text : text[..equals];
        value = "";
        if (equals < 0)
        {
            error = $"--param takes key=value, not '{text}'";
            return false;
        }

        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = $"--param '{text}': the key must be a name without spaces (a rule reads nflua.params.key)";
            return false;
        }

        value = RuleParams.ParseText(text[(equals + 1)..]);
        error = null;
        return true;
    }

    /// <summary>Parses every argument into one map; a key given twice is an error.</summary>
    /// <param name="texts">The arguments, in order.</param>
    /// <param name="values">The parameters by key.</param>
    /// <param name="error">The first problem, in one line.</param>
    public static bool TryParseAll(IEnumerable<string> texts, out Dictionary<string, object?> values, out string? error)
    {
        values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            if (!TryParse(text, out string key, out object value, out error))
            {
                return false;
            }

            if (!values.TryAdd(key, value))
            {
                error = $"--param {key} is given twice";
                return false;
            }
        }

        error = null;
        return true;
    }
}
