using System.Runtime.CompilerServices;

namespace NfLua.Control.Tests;

/// <summary>
/// Every request and result type of the protocol can be put on the wire: a type the codec does not know is found here,
/// not by a kernel test (in-process daemon tests call the handler directly and never encode).
/// </summary>
public sealed class CodecCompletenessTests
{
    public static TheoryData<string> Commands() => Names(typeof(ControlCommand));

    public static TheoryData<string> Results() => Names(typeof(ControlResult));

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandType_IsEncodedUnderItsOwnOp(string typeName)
    {
        var command = (ControlCommand)RuntimeHelpers.GetUninitializedObject(typeof(ControlCommand).Assembly.GetType(typeName)!);

        byte[] encoded = ControlCodec.EncodeRequest(new ControlRequest(1, command));

        string? op = System.Text.Json.JsonDocument.Parse(encoded).RootElement.GetProperty("op").GetString();
        Assert.True(ControlOpNames.TryParse(op, out ControlOp parsed) && parsed == command.Op, $"{typeName} went out as op '{op}'");
    }

    [Theory]
    [MemberData(nameof(Results))]
    public void EveryResultType_IsEncoded(string typeName)
    {
        var result = (ControlResult)RuntimeHelpers.GetUninitializedObject(typeof(ControlResult).Assembly.GetType(typeName)!);

        byte[] encoded = ControlCodec.EncodeResponse(ControlResponse.Success(1, result));

        Assert.NotEmpty(encoded);
    }

    private static TheoryData<string> Names(Type baseType)
    {
        var names = new TheoryData<string>();
        foreach (Type type in baseType.Assembly.GetTypes().Where(t => t.IsSubclassOf(baseType) && !t.IsAbstract).OrderBy(t => t.FullName))
        {
            names.Add(type.FullName!);
        }

        return names;
    }
}
