using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace NfLua.Cli.Output;

/// <summary>Writes one indented JSON document per command, ending with a newline.</summary>
internal static class JsonOutput
{
    // Output for people and scripts, never embedded in HTML: keep "->" and non-ASCII text readable.
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            JsonSerializer.Serialize(json, value, typeInfo);
        }

        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
