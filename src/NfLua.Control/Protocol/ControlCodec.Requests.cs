using System.Text.Json;

namespace NfLua.Control;

public static partial class ControlCodec
{
    private static ControlJsonContext Json => ControlJsonContext.Default;

    /// <summary>Encodes a request envelope as UTF-8 JSON.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The frame body.</returns>
    public static byte[] EncodeRequest(ControlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ControlProtocol.Version);
            writer.WriteNumber("id", request.Id);
            writer.WriteString("op", ControlOpNames.ToWireName(request.Op));
            writer.WritePropertyName("args");
            WriteArgs(writer, request.Command);
            writer.WriteEndObject();
        });
    }

    /// <summary>Decodes a request envelope.</summary>
    /// <param name="json">The frame body.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ControlProtocolException">The body is not a valid version-1 request; <see cref="ControlProtocolException.RequestId"/>
    /// holds its id when it was readable.</exception>
    public static ControlRequest DecodeRequest(ReadOnlySpan<byte> json)
    {
        using JsonDocument document = Parse(json);
        JsonElement root = document.RootElement;
        int id = ReadEnvelopeHeader(root, "request");

        if (!root.TryGetProperty("op", out JsonElement opElement) || opElement.ValueKind != JsonValueKind.String)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, "the request has no \"op\" string", id);
        }

        string? opName = opElement.GetString();
        if (!ControlOpNames.TryParse(opName, out ControlOp op))
        {
            throw new ControlProtocolException(ControlErrorName.Unsupported, $"unknown op \"{opName}\"", id);
        }

        JsonElement args = root.TryGetProperty("args", out JsonElement given) && given.ValueKind != JsonValueKind.Null ? given : EmptyObject;
        if (args.ValueKind != JsonValueKind.Object)
        {
            throw new ControlProtocolException(ControlErrorName.BadRequest, $"\"args\" must be an object, not {Describe(args.ValueKind)}", id);
        }

        ControlCommand command = op switch
        {
            ControlOp.Load => DeserializeOrThrow(args, Json.LoadRequest, "load arguments", id),
            ControlOp.Unload => DeserializeOrThrow(args, Json.UnloadRequest, "unload arguments", id),
            ControlOp.List => DeserializeOrThrow(args, Json.ListRequest, "list arguments", id),
            ControlOp.Stats => DeserializeOrThrow(args, Json.StatsRequest, "stats arguments", id),
            ControlOp.Status => DeserializeOrThrow(args, Json.StatusRequest, "status arguments", id),
            ControlOp.SetList => DeserializeOrThrow(args, Json.SetListRequest, "set-list arguments", id),
            ControlOp.SetShow => DeserializeOrThrow(args, Json.SetShowRequest, "set-show arguments", id),
            ControlOp.SetAdd => DeserializeOrThrow(args, Json.SetAddRequest, "set-add arguments", id),
            ControlOp.SetDel => DeserializeOrThrow(args, Json.SetDelRequest, "set-del arguments", id),
            ControlOp.SetLoad => DeserializeOrThrow(args, Json.SetLoadRequest, "set-load arguments", id),
            ControlOp.Mode => DeserializeOrThrow(args, Json.ModeRequest, "mode arguments", id),
            ControlOp.Events => DeserializeOrThrow(args, Json.EventsRequest, "events arguments", id),
            _ => DeserializeOrThrow(args, Json.ReloadRequest, "reload arguments", id),
        };
        return new ControlRequest(id, command);
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    private static void WriteArgs(Utf8JsonWriter writer, ControlCommand command)
    {
        switch (command)
        {
            case LoadRequest load:
                JsonSerializer.Serialize(writer, load, Json.LoadRequest);
                break;
            case UnloadRequest unload:
                JsonSerializer.Serialize(writer, unload, Json.UnloadRequest);
                break;
            case ListRequest list:
                JsonSerializer.Serialize(writer, list, Json.ListRequest);
                break;
            case StatsRequest stats:
                JsonSerializer.Serialize(writer, stats, Json.StatsRequest);
                break;
            case StatusRequest status:
                JsonSerializer.Serialize(writer, status, Json.StatusRequest);
                break;
            case ReloadRequest reload:
                JsonSerializer.Serialize(writer, reload, Json.ReloadRequest);
                break;
            case SetListRequest setList:
                JsonSerializer.Serialize(writer, setList, Json.SetListRequest);
                break;
            case SetShowRequest setShow:
                JsonSerializer.Serialize(writer, setShow, Json.SetShowRequest);
                break;
            case SetAddRequest setAdd:
                JsonSerializer.Serialize(writer, setAdd, Json.SetAddRequest);
                break;
            case SetDelRequest setDel:
                JsonSerializer.Serialize(writer, setDel, Json.SetDelRequest);
                break;
            case SetLoadRequest setLoad:
                JsonSerializer.Serialize(writer, setLoad, Json.SetLoadRequest);
                break;
            case ModeRequest mode:
                JsonSerializer.Serialize(writer, mode, Json.ModeRequest);
                break;
            case EventsRequest events:
                JsonSerializer.Serialize(writer, events, Json.EventsRequest);
                break;
            default:
                throw new ArgumentException($"unknown command type {command.GetType().Name}", nameof(command));
        }
    }
}
