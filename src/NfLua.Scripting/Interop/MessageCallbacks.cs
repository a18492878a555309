using System.Runtime.InteropServices;
using System.Text;
using NfLua.Scripting.Messages;

namespace NfLua.Scripting.Interop;

/// <summary>
/// <c>nflua.log</c> and <c>nflua.alert</c>: same rules as every host function (no Lua error, no exception out; an error
/// is returned as a string for nflua_gated (nflua_gate.c) to raise). Called through the channel's gate: only while it is
/// open (behind a closed gate the C wrapper counts the call and returns). The arguments are checked first, without
/// allocating; then the limit is asked, and a refusal closes the gate. Only an accepted message is copied, into a
/// preallocated slot.
/// </summary>
internal static unsafe class MessageCallbacks
{
    public static IntPtr LogPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Log;
    public static IntPtr AlertPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Alert;

    /// <summary>log([level,] message): nothing, or an error message.</summary>
    [UnmanagedCallersOnly]
    private static int Log(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            int messageIndex = 1;
            RuleLogLevel level = RuleLogLevel.Info;
            if (LuaC.Type(state, 2) is not (LuaC.TypeNone or LuaC.TypeNil))
            {
                messageIndex = 2;
                if (!TryLevel(Bytes(state, 1), out level))
                {
                    return DataCallbacks.Message(state, "nflua.log: the level must be \"debug\", \"info\" or \"warning\""u8);
                }
            }

            if (LuaC.Type(state, messageIndex) != LuaC.TypeString)
            {
                return DataCallbacks.Message(state, "nflua.log expects a message string: nflua.log([level,] message)"u8);
            }

            if (context == null || context->Host == IntPtr.Zero)
            {
                return 0;
            }

            RuleMessages messages = RuleCallbacks.Host(context).Messages;
            RuleMessage? slot = messages.TryBegin(RuleMessageKind.Log, context->NowMs);
            if (slot is null)
            {
                return 0;
            }

            slot.Level = level;
            slot.SetMessage(Bytes(state, messageIndex));
            FillPacket(context, slot);
            return 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>alert(message [, fields]): nothing, or an error message.</summary>
    [UnmanagedCallersOnly]
    private static int Alert(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            if (LuaC.Type(state, 1) != LuaC.TypeString)
            {
                return DataCallbacks.Message(state, "nflua.alert expects a message string: nflua.alert(message [, fields])"u8);
            }

            int fieldsType = LuaC.Type(state, 2);
            bool hasFields = fieldsType == LuaC.TypeTable;
            if (!hasFields && fieldsType is not (LuaC.TypeNone or LuaC.TypeNil))
            {
                return DataCallbacks.Message(state, "nflua.alert: fields must be a table of strings, integers and booleans"u8);
            }

            if (hasFields && CheckFields(state) is { } problem)
            {
                return DataCallbacks.Message(state, Encoding.UTF8.GetBytes(problem));
            }

            if (context == null || context->Host == IntPtr.Zero)
            {
                return 0;
            }

            RuleMessages messages = RuleCallbacks.Host(context).Messages;
            RuleMessage? slot = messages.TryBegin(RuleMessageKind.Alert, context->NowMs);
            if (slot is null)
            {
                return 0;
            }

            slot.SetMessage(Bytes(state, 1));
            FillPacket(context, slot);
            if (hasFields)
            {
                CopyFields(state, slot);
            }

            return 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    private static void FillPacket(RuleContext* context, RuleMessage slot)
    {
        var packet = context->Packet.Data == null
            ? ReadOnlySpan<byte>.Empty
            : new ReadOnlySpan<byte>(context->Packet.Data, (int)context->Packet.Length);
        slot.SetPacket(packet, context->Meta, RuleCallbacks.Host(context).Environment.Interfaces);
    }

    /// <summary>Null when every key is a string and every value a string, an integer or a boolean; else what is wrong.</summary>
    private static string? CheckFields(IntPtr state)
    {
        LuaC.PushNil(state);
        while (LuaC.Next(state, 2) != 0)
        {
            // key at -2, value at -1
            if (LuaC.Type(state, -2) != LuaC.TypeString)
            {
                LuaC.SetTop(state, 2);
                return "nflua.alert: field names must be strings";
            }

            int type = LuaC.Type(state, -1);
            int isInteger = 1;
            if (type == LuaC.TypeNumber)
            {
                _ = LuaC.ToIntegerX(state, -1, &isInteger);
            }

            if (!(type is LuaC.TypeString or LuaC.TypeBoolean || (type == LuaC.TypeNumber && isInteger != 0)))
            {
                string key = Encoding.UTF8.GetString(Bytes(state, -2));
                string what = type switch
                {
                    LuaC.TypeTable => "a table",
                    LuaC.TypeFunction => "a function",
                    LuaC.TypeUserData or LuaC.TypeLightUserData => "a userdata",
                    LuaC.TypeNumber => "a number that is not an integer",
                    _ => "a thread",
                };
                LuaC.SetTop(state, 2);
                return $"nflua.alert: field '{key}' is {what}; fields may be strings, integers and booleans";
            }

            LuaC.SetTop(state, -2); // pop the value, keep the key for next
        }

        return null;
    }

    private static void CopyFields(IntPtr state, RuleMessage slot)
    {
        LuaC.PushNil(state);
        while (LuaC.Next(state, 2) != 0)
        {
            ReadOnlySpan<byte> key = Bytes(state, -2);
            switch (LuaC.Type(state, -1))
            {
                case LuaC.TypeString:
                    slot.AddString(key, Bytes(state, -1));
                    break;
                case LuaC.TypeBoolean:
                    slot.AddBoolean(key, LuaC.ToBoolean(state, -1) != 0);
                    break;
                default:
                    int isInteger;
                    slot.AddInteger(key, LuaC.ToIntegerX(state, -1, &isInteger));
                    break;
            }

            LuaC.SetTop(state, -2);
        }
    }

    private static bool TryLevel(ReadOnlySpan<byte> word, out RuleLogLevel level)
    {
        if (word.SequenceEqual("info"u8))
        {
            level = RuleLogLevel.Info;
            return true;
        }

        if (word.SequenceEqual("warning"u8))
        {
            level = RuleLogLevel.Warning;
            return true;
        }

        level = RuleLogLevel.Debug;
        return word.SequenceEqual("debug"u8);
    }

    /// <summary>The bytes of the string at <paramref name="index"/> (never converted: numbers and others read empty).</summary>
    private static ReadOnlySpan<byte> Bytes(IntPtr state, int index)
    {
        if (LuaC.Type(state, index) != LuaC.TypeString)
        {
            return default;
        }

        nuint length;
        byte* p = LuaC.ToLString(state, index, &length);
        return new ReadOnlySpan<byte>(p, (int)Math.Min(length, int.MaxValue));
    }
}
