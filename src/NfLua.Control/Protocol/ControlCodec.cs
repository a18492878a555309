using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NfLua.Control;

/// <summary>Turns envelopes into frame bodies (UTF-8 JSON) and back. Framing itself is <see cref="ControlFraming"/>.</summary>
/// <remarks>Decoding never throws anything but <see cref="ControlProtocolException"/>, whatever the bytes.</remarks>
public static partial class ControlCodec
{
    private static readonly JsonDocumentOptions s_documentOptions = new() { MaxDepth = ControlProtocol.MaxJsonDepth };

    private static JsonDocument Parse(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "empty message");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ControlProtocol.MaxJsonDepth });
            JsonDocument document = JsonDocument.ParseValue(ref reader);
            try
            {
                // Only whitespace may follow the value: anything else makes Read throw.
                reader.Read();
                CheckStrings(document.RootElement);
            }
            catch
            {
                document.Dispose();
                throw;
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"invalid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"invalid JSON: {ex.Message}");
        }
    }

    /// <summary>
    /// Decodes every string and property name once. JsonDocument checks their UTF-8 and \u escapes (a lone
    /// surrogate) only when one is read, and then throws InvalidOperationException from whichever lookup or read
    /// touched it; checked here, such a message is refused as invalid JSON before anything reads it.
    /// </summary>
    private static void CheckStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckStrings(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    CheckStrings(item);
                }

                break;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping keeps quotes and non-ASCII readable in scripts and errors; the JSON never reaches a browser.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static int ReadEnvelopeHeader(JsonElement root, string what)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"a {what} must be a JSON object, not {Describe(root.ValueKind)}");
        }

        int id = 0;
        if (root.TryGetProperty("id", out JsonElement idElement) && !TryGetInt32(idElement, out id))
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "\"id\" must be an integer");
        }

        if (!root.TryGetProperty("v", out JsonElement version))
        {
            throw new ControlProtocolException(ControlErrorName.VersionMismatch, $"the {what} has no \"v\"; this side speaks version {ControlProtocol.Version}", id);
        }

        if (!TryGetInt32(version, out int v) || v != ControlProtocol.Version)
        {
            throw new ControlProtocolException(
                ControlErrorName.VersionMismatch, $"{what} version {version.GetRawText()} is not supported; this side speaks version {ControlProtocol.Version}", id);
        }

        if (!root.TryGetProperty("id", out _))
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"the {what} has no \"id\"");
        }

        return id;
    }

    private static T DeserializeOrThrow<T>(JsonElement element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, string what, int id)
    {
        try
        {
            return element.Deserialize(typeInfo)
                ?? throw new ControlProtocolException(ControlErrorName.BadRequest, $"{what} must not be null", id);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or ArgumentException)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"invalid {what}: {ex.Message}", id);
        }
    }

    private static bool TryGetInt32(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
