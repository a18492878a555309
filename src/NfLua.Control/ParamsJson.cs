using System.Globalization;
using System.Text.Json;

namespace NfLua.Control;

/// <summary>
/// Rule parameters as JSON, in the load request, the rule list and the state file: an object whose values are strings,
/// integers, booleans, arrays and objects of them. In .NET they are <see cref="string"/>, <see cref="long"/>,
/// <see cref="bool"/>, lists and string-keyed dictionaries (what RuleParams checks).
/// </summary>
public static class ParamsJson
{
    /// <summary>Parameters as a JSON object.</summary>
    public static JsonElement ToJson(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, values);
        }

        using JsonDocument document = JsonDocument.Parse(stream.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A JSON object as .NET values: null, and a message, when it is not an object. Values it cannot hold as parameters
    /// (a fraction, null) are kept as they are (<see cref="double"/>, null) for the parameters' own check to name.
    /// </summary>
    public static Dictionary<string, object?>? FromJson(JsonElement json, out string? error)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "params must be a JSON object of named values";
            return null;
        }

        error = null;
        return (Dictionary<string, object?>)Read(json)!;
    }

    private static object? Read(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.TryGetInt64(out long number) ? (object)number : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(Read).ToList(),
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => Read(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    private static void Write(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long or int:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case IReadOnlyDictionary<string, object> map:
                writer.WriteStartObject();
                foreach ((string key, object item) in map)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable<object> list:
                writer.WriteStartArray();
                foreach (object item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"a parameter cannot be a {value.GetType().Name}", nameof(value));
        }
    }
}
