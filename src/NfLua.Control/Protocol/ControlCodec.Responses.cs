using System.Text.Json;

namespace NfLua.Control;

public static partial class ControlCodec
{
    /// <summary>Encodes a response envelope as UTF-8 JSON.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The frame body.</returns>
    public static byte[] EncodeResponse(ControlResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Error is null && response.Result is null)
        {
            throw new ArgumentException("a response needs a result or an error", nameof(response));
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ControlProtocol.Version);
            writer.WriteNumber("id", response.Id);
            writer.WriteBoolean("ok", response.Error is null);
            if (response.Error is { } error)
            {
                writer.WritePropertyName("error");
                JsonSerializer.Serialize(writer, error, Json.ControlError);
            }
            else
            {
                writer.WritePropertyName("result");
                WriteResult(writer, response.Result!);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>Decodes a response envelope to a request of <paramref name="op"/> (the wire does not repeat the op).</summary>
    /// <param name="json">The frame body.</param>
    /// <param name="op">The operation of the request it answers; decides the result's type.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ControlProtocolException">The body is not a valid version-1 response.</exception>
    public static ControlResponse DecodeResponse(ReadOnlySpan<byte> json, ControlOp op)
    {
        using JsonDocument document = Parse(json);
        JsonElement root = document.RootElement;
        int id = ReadEnvelopeHeader(root, "response");

        if (!root.TryGetProperty("ok", out JsonElement ok) || ok.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "the response has no \"ok\" boolean", id);
        }

        if (!ok.GetBoolean())
        {
            return ControlResponse.Failure(id, ReadError(root, id));
        }

        if (!root.TryGetProperty("result", out JsonElement result) || result.ValueKind != JsonValueKind.Object)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "the response has no \"result\" object", id);
        }

        ControlResult decoded = op switch
        {
            ControlOp.Load => DeserializeOrThrow(result, Json.LoadResult, "load result", id),
            ControlOp.Unload => DeserializeOrThrow(result, Json.UnloadResult, "unload result", id),
            ControlOp.List => DeserializeOrThrow(result, Json.ListResult, "list result", id),
            ControlOp.Stats => DeserializeOrThrow(result, Json.StatsResult, "stats result", id),
            ControlOp.Status => DeserializeOrThrow(result, Json.StatusResult, "status result", id),
            ControlOp.SetList => DeserializeOrThrow(result, Json.SetListResult, "set-list result", id),
            ControlOp.SetShow => DeserializeOrThrow(result, Json.SetShowResult, "set-show result", id),
            ControlOp.SetAdd or ControlOp.SetDel or ControlOp.SetLoad => DeserializeOrThrow(result, Json.SetChangeResult, "set change result", id),
            ControlOp.Mode => DeserializeOrThrow(result, Json.ModeResult, "mode result", id),
            ControlOp.Events => DeserializeOrThrow(result, Json.EventsResult, "events result", id),
            _ => DeserializeOrThrow(result, Json.ReloadResult, "reload result", id),
        };
        return ControlResponse.Success(id, decoded);
    }

    private static ControlError ReadError(JsonElement root, int id)
    {
        if (!root.TryGetProperty("error", out JsonElement error) || error.ValueKind != JsonValueKind.Object ||
            !error.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "the response has no \"error\" object with a \"name\"", id);
        }

        string message = error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        string? file = error.TryGetProperty("file", out JsonElement f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        int? line = error.TryGetProperty("line", out JsonElement l) && TryGetInt32(l, out int lineNumber) ? lineNumber : null;
        string nameText = name.GetString()!;

        // A newer daemon may invent error names: keep its message and treat the error as internal rather than fail.
        if (!Enum.TryParse(nameText, ignoreCase: false, out ControlErrorName known) || !Enum.IsDefined(known) || int.TryParse(nameText, out _))
        {
            return new ControlError(ControlErrorName.Internal, $"{nameText}: {message}", file, line);
        }

        return new ControlError(known, message, file, line);
    }

    private static void WriteResult(Utf8JsonWriter writer, ControlResult result)
    {
        switch (result)
        {
            case LoadResult load:
                JsonSerializer.Serialize(writer, load, Json.LoadResult);
                break;
            case UnloadResult unload:
                JsonSerializer.Serialize(writer, unload, Json.UnloadResult);
                break;
            case ListResult list:
                JsonSerializer.Serialize(writer, list, Json.ListResult);
                break;
            case StatsResult stats:
                JsonSerializer.Serialize(writer, stats, Json.StatsResult);
                break;
            case StatusResult status:
                JsonSerializer.Serialize(writer, status, Json.StatusResult);
                break;
            case ReloadResult reload:
                JsonSerializer.Serialize(writer, reload, Json.ReloadResult);
                break;
            case SetListResult setList:
                JsonSerializer.Serialize(writer, setList, Json.SetListResult);
                break;
            case SetShowResult setShow:
                JsonSerializer.Serialize(writer, setShow, Json.SetShowResult);
                break;
            case SetChangeResult setChange:
                JsonSerializer.Serialize(writer, setChange, Json.SetChangeResult);
                break;
            case ModeResult mode:
                JsonSerializer.Serialize(writer, mode, Json.ModeResult);
                break;
            case EventsResult events:
                JsonSerializer.Serialize(writer, events, Json.EventsResult);
                break;
            default:
                throw new ArgumentException($"unknown result type {result.GetType().Name}", nameof(result));
        }
    }
}
