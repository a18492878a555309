using System.Runtime.InteropServices;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The <c>data</c> module's functions written in C#: data.new, and what other host functions share
/// (the packet token, recognising and pushing data objects). The hot operations (field reads and
/// writes, d:layout, d:segment, #d, tostring) are C in the native library (native/nflua_data.c), which
/// reads the same structures. Rule for the functions here: they never raise a Lua error and
/// never let an exception out (either would unwind through managed frames); an invalid
/// argument reads as nil, and an error the script must see is pushed and <see cref="LuaC.Raise"/>
/// returned: the native trampoline raises it once the managed frame is gone (docs/internals.md,
/// "Host functions").
/// </summary>
internal static unsafe class DataCallbacks
{
    private const int ContextUpvalue = HostUpvalues.Context;
    private const int MetatableUpvalue = HostUpvalues.DataMetatable;

    public static IntPtr NewPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&New;

    /// <summary>
    /// Pushes the current packet: a light-userdata token holding the call's generation (no
    /// allocation); the light-userdata metatable, shared by the state, makes it a data object.
    /// </summary>
    public static void PushPacket(IntPtr state, RuleContext* context) =>
        LuaC.PushLightUserData(state, (void*)((context->Packet.Generation << 1) | 1));

    /// <summary>data.new(table | size | string): a data object over new bytes, or nil.</summary>
    [UnmanagedCallersOnly]
    private static int New(IntPtr state)
    {
        try
        {
            using var guard = new LimitsGuard(state);
            int type = LuaC.Type(state, 1);
            long size;
            if (type == LuaC.TypeNumber)
            {
                int isInteger;
                size = LuaC.ToIntegerX(state, 1, &isInteger);
                if (isInteger == 0)
                {
                    size = 0;
                }
            }
            else if (type is LuaC.TypeString or LuaC.TypeTable)
            {
                size = (long)LuaC.RawLen(state, 1);
            }
            else
            {
                size = 0;
            }

            if (size <= 0 || size > int.MaxValue || !guard.FitsAfterCollecting(state, size + 64))
            {
                LuaC.PushNil(state);
                return 1;
            }

            // Filling from a table reads every element; from a string or a size, copies or clears bytes.
            if (!(type == LuaC.TypeTable ? guard.Charge(state, size, size * 20) : guard.ChargeBytes(state, size)))
            {
                LuaC.PushNil(state); // the call is stopped: it ends at its next instruction
                return 1;
            }

            var obj = (DataObject*)LuaC.NewUserDataUv(state, (nuint)(sizeof(DataObject) + size), DataObject.OwnerUserValue);
            byte* bytes = (byte*)(obj + 1);
            *obj = new DataObject { Owned = bytes, Length = size };
            var span = new Span<byte>(bytes, (int)size);
            span.Clear();
            if (type == LuaC.TypeString)
            {
                nuint length;
                byte* source = LuaC.ToLString(state, 1, &length);
                new ReadOnlySpan<byte>(source, (int)length).CopyTo(span);
            }
            else if (type == LuaC.TypeTable && !FillFromTable(state, span))
            {
                LuaC.PushNil(state);
                return 1;
            }

            LuaC.PushValue(state, LuaC.UpvalueIndex(MetatableUpvalue));
            LuaC.SetMetatable(state, -2);
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    private static bool FillFromTable(IntPtr state, Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            LuaC.RawGetI(state, 1, i + 1);
            int isInteger;
            long value = LuaC.ToIntegerX(state, -1, &isInteger);
            LuaC.SetTop(state, -2);
            if (isInteger == 0 || value is < 0 or > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        return true;
    }

    /// <summary>Pushes a new data object over a region holding <paramref name="value"/>, with the data metatable (a host function's upvalue); call it inside a <see cref="LimitsGuard"/>.</summary>
    internal static DataObject* PushObject(IntPtr state, in DataObject value)
    {
        var obj = (DataObject*)LuaC.NewUserDataUv(state, (nuint)sizeof(DataObject), DataObject.LayoutUserValue);
        *obj = value;
        LuaC.PushValue(state, LuaC.UpvalueIndex(MetatableUpvalue));
        LuaC.SetMetatable(state, -2);
        return obj;
    }

    /// <summary>
    /// The data object at <paramref name="index"/>: a full userdata checked against the data
    /// metatable, or a packet token resolved with the rule context (both in the host function's
    /// upvalues, <see cref="HostUpvalues"/>); null for anything else.
    /// </summary>
    internal static DataObject* Check(IntPtr state, int index)
    {
        int type = LuaC.Type(state, index);
        if (type == LuaC.TypeLightUserData)
        {
            return Resolve(state, index); // only packet tokens are light userdata in a rule
        }

        if (type != LuaC.TypeUserData || LuaC.GetMetatable(state, index) == 0)
        {
            return null;
        }

        bool ours = LuaC.RawEqual(state, -1, LuaC.UpvalueIndex(MetatableUpvalue)) != 0;
        LuaC.SetTop(state, -2);
        return ours ? (DataObject*)LuaC.ToUserData(state, index) : null;
    }

    /// <summary>
    /// The data object behind the value at <paramref name="index"/> of a data metamethod: a full
    /// userdata's payload, or for a packet token the current packet (or the stale object when the
    /// token is from an earlier call).
    /// </summary>
    private static DataObject* Resolve(IntPtr state, int index)
    {
        int type = LuaC.Type(state, index);
        if (type == LuaC.TypeUserData)
        {
            return (DataObject*)LuaC.ToUserData(state, index);
        }

        if (type != LuaC.TypeLightUserData)
        {
            return null;
        }

        var context = (RuleContext*)LuaC.ToUserData(state, LuaC.UpvalueIndex(ContextUpvalue));
        ulong token = (ulong)LuaC.ToUserData(state, index);
        return (token >> 1) == context->Packet.Generation && context->Packet.Data != null ? &context->PacketObject : &context->Stale;
    }

    /// <summary>Pushes <paramref name="message"/> for the native trampoline to raise with the caller's position.</summary>
    internal static int Raise(IntPtr state, ReadOnlySpan<byte> message)
    {
        Message(state, message);
        return LuaC.Raise;
    }

    internal static int Message(IntPtr state, ReadOnlySpan<byte> message)
    {
        using var guard = new LimitsGuard(state);
        fixed (byte* p = message)
        {
            LuaC.PushLString(state, p, (nuint)message.Length);
        }

        return 1;
    }
}
