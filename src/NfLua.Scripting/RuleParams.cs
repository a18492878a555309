using System.Globalization;

namespace NfLua.Scripting;

/// <summary>
/// A rule's parameters (<c>nflua.params</c>): strings, 64-bit integers, booleans, and lists and maps
/// of them, checked when they are made. Rules see a read-only copy.
/// </summary>
public sealed class RuleParams
{
    /// <summary>Nesting allowed below the top level.</summary>
    public const int MaxDepth = 16;

    /// <summary>Values allowed in all (strings, integers, booleans, lists and maps each count one).</summary>
    public const int MaxValues = 100_000;

    private RuleParams(IReadOnlyDictionary<string, object> values) => Values = values;

    /// <summary>No parameters.</summary>
    public static RuleParams Empty { get; } = new(new Dictionary<string, object>());

    /// <summary>
    /// The parameters: each value a <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>,
    /// <c>IReadOnlyList&lt;object&gt;</c> or <c>IReadOnlyDictionary&lt;string, object&gt;</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object> Values { get; }

    /// <summary>Checks and copies parameters; false, with an error naming the key, for anything else.</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, object?> values, out RuleParams parameters, out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        int count = 0;
        var copy = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach ((string key, object? value) in values)
        {
            if (!TryCopy(value, key, 0, ref count, out object? copied, out error))
            {
                parameters = Empty;
                return false;
            }

            copy[key] = copied!;
        }

        parameters = new RuleParams(copy);
        error = null;
        return true;
    }

    /// <summary>
    /// A value given as text (<c>--param key=value</c>): an integer when it is one (decimal, or 0x
    /// hexadecimal), true or false, else the text itself.
    /// </summary>
    public static object ParseText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            return number;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        return text switch
        {
            "true" => true,
            "false" => false,
            _ => text,
        };
    }

    private static bool TryCopy(object? value, string path, int depth, ref int count, out object? copy, out string? error)
    {
        copy = null;
        if (++count > MaxValues)
        {
            error = $"params: more than {MaxValues} values";
            return false;
        }

        switch (value)
        {
            case string or long or bool:
                copy = value;
                error = null;
                return true;
            case int or short or byte or uint or ushort or sbyte:
                copy = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                error = null;
                return true;
            case null:
                error = $"params.{path} is nil: remove it, or give it a value";
                return false;
            case double or float or decimal:
                error = $"params.{path} is not an integer: numbers in rules are integers";
                return false;
        }

        if (depth >= MaxDepth)
        {
            error = $"params.{path} is nested deeper than {MaxDepth} levels";
            return false;
        }

        if (value is IReadOnlyDictionary<string, object?> map)
        {
            var copied = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach ((string key, object? item) in map)
            {
                if (!TryCopy(item, $"{path}.{key}", depth + 1, ref count, out object? c, out error))
                {
                    return false;
                }

                copied[key] = c!;
            }

            copy = copied;
            error = null;
            return true;
        }

        if (value is IReadOnlyList<object?> list)
        {
            var copied = new List<object>(list.Count);
            for (int i = 0; i < list.Count; i++)
            {
                if (!TryCopy(list[i], $"{path}[{i + 1}]", depth + 1, ref count, out object? c, out error))
                {
                    return false;
                }

                copied.Add(c!);
            }

            copy = copied;
            error = null;
            return true;
        }

        error = $"params.{path} is a {value.GetType().Name}: parameters are strings, integers, booleans and tables of them";
        return false;
    }
}
