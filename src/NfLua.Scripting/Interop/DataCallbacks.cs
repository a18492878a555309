using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NfLua.Packets;

namespace NfLua.Scripting.Interop;

/// <summary>
/// The <c>data</c> module's C functions, written in C#. Rule: they never raise a Lua error and
/// never let an exception out (either would unwind through managed frames); an invalid
/// argument reads as nil, and an error the script must see is pushed and <see cref="LuaC.Raise"/>
/// returned: the native trampoline raises it once the managed frame is gone (docs/internals.md,
/// "Host functions").
/// </summary>
internal static unsafe class DataCallbacks
{
    private const int ContextUpvalue = HostUpvalues.Context;
    private const int MetatableUpvalue = HostUpvalues.DataMetatable;
    private const int MethodsUpvalue = HostUpvalues.DataMethods;

    public static IntPtr NewPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&New;
    public static IntPtr SegmentPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Segment;
    public static IntPtr SetLayoutPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&SetLayout;
    public static IntPtr IndexPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Index;
    public static IntPtr SetPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Set;
    public static IntPtr LengthPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Length;
    public static IntPtr ToStringPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&ToString;

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

            var obj = (DataObject*)LuaC.NewUserDataUv(state, (nuint)(sizeof(DataObject) + size), 2);
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

    /// <summary>d:segment([offset [, length]]): a view sharing d's bytes, or nil when out of range.</summary>
    [UnmanagedCallersOnly]
    private static int Segment(IntPtr state)
    {
        try
        {
            DataObject* parent = Check(state, 1);
            if (parent == null || !parent->TryGetBytes(out _))
            {
                LuaC.PushNil(state);
                return 1;
            }

            long offset = OptInteger(state, 2, 0, out bool okOffset);
            long length = OptInteger(state, 3, parent->Length - offset, out bool okLength);
            if (!okOffset || !okLength || offset < 0 || length < 0 || offset > parent->Length || length > parent->Length - offset)
            {
                LuaC.PushNil(state);
                return 1;
            }

            using var guard = new LimitsGuard(state);
            DataObject* obj = PushObject(state, *parent with { Offset = parent->Offset + offset, Length = length });
            if (parent->Owned != null)
            {
                // The bytes live in the userdata that owns them: keep it alive.
                if (LuaC.GetIUserValue(state, 1, DataObject.OwnerUserValue) == LuaC.TypeNil)
                {
                    LuaC.SetTop(state, -2);
                    LuaC.PushValue(state, 1);
                }

                LuaC.SetIUserValue(state, -2, DataObject.OwnerUserValue);
            }

            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>Pushes a new data object holding <paramref name="value"/>, with the data metatable (a host function's upvalue); call it inside a <see cref="LimitsGuard"/>.</summary>
    internal static DataObject* PushObject(IntPtr state, in DataObject value)
    {
        var obj = (DataObject*)LuaC.NewUserDataUv(state, (nuint)sizeof(DataObject), 2);
        *obj = value;
        LuaC.PushValue(state, LuaC.UpvalueIndex(MetatableUpvalue));
        LuaC.SetMetatable(state, -2);
        return obj;
    }

    /// <summary>Host half of d:layout(l): l is already a layout table. Returns d.</summary>
    [UnmanagedCallersOnly]
    private static int SetLayout(IntPtr state)
    {
        try
        {
            DataObject* obj = Check(state, 1);
            if (obj != null && LuaC.Type(state, 2) == LuaC.TypeTable)
            {
                if (LuaC.Type(state, 1) == LuaC.TypeLightUserData)
                {
                    var context = (RuleContext*)LuaC.ToUserData(state, LuaC.UpvalueIndex(ContextUpvalue));
                    if (obj == &context->PacketObject)
                    {
                        LuaC.PushValue(state, 2);
                        LuaC.RawSetI(state, LuaC.RegistryIndex, context->PacketLayoutSlot);
                        context->PacketLayoutSet = 1;
                    }
                }
                else
                {
                    LuaC.PushValue(state, 2);
                    LuaC.SetIUserValue(state, 1, DataObject.LayoutUserValue);
                }
            }

            LuaC.SetTop(state, 1);
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>__index(d, key): a field of d's layout, else a method, else nil.</summary>
    [UnmanagedCallersOnly]
    private static int Index(IntPtr state)
    {
        try
        {
            DataObject* obj = Resolve(state, 1);
            if (obj != null && TryGetField(state, obj, out FieldDescriptor field))
            {
                PushField(state, obj, field);
                return 1;
            }

            LuaC.SetTop(state, 2);
            LuaC.RawGet(state, LuaC.UpvalueIndex(MethodsUpvalue));
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>__newindex(d, key, value): writes the field; raises (through the trampoline) what is wrong.</summary>
    [UnmanagedCallersOnly]
    private static int Set(IntPtr state)
    {
        try
        {
            DataObject* obj = Check(state, 1);
            if (obj == null)
            {
                return Raise(state, "attempt to write to something that is not a data object"u8);
            }

            if (!obj->TryGetBytes(out Span<byte> bytes))
            {
                return Raise(state, "attempt to write a packet after its verdict"u8);
            }

            if (obj->Region != null && obj->Region->ReadOnly != 0)
            {
                return Raise(state, "attempt to write to a stream (streams are read-only: write to the packet)"u8);
            }

            if (!TryGetField(state, obj, out FieldDescriptor field))
            {
                return Raise(state, "attempt to write a field that the data object's layout does not have"u8);
            }

            if (field.IsString)
            {
                if (LuaC.Type(state, 3) != LuaC.TypeString)
                {
                    return Raise(state, "a string field takes a string"u8);
                }

                nuint length;
                byte* source = LuaC.ToLString(state, 3, &length);
                long start = field.BitOffset / 8, size = field.BitLength / 8;
                if ((long)length > size)
                {
                    return Raise(state, "string longer than its field"u8);
                }

                if (start + size > bytes.Length)
                {
                    return Raise(state, "field lies outside the data object"u8);
                }

                using (var guard = new LimitsGuard(state))
                {
                    if (!guard.ChargeBytes(state, (long)length))
                    {
                        return 0; // the call is stopped: it ends at its next instruction
                    }
                }

                new ReadOnlySpan<byte>(source, (int)length).CopyTo(bytes.Slice((int)start));
            }
            else
            {
                int isInteger;
                long value = LuaC.ToIntegerX(state, 3, &isInteger);
                if (isInteger == 0 || LuaC.Type(state, 3) != LuaC.TypeNumber)
                {
                    return Raise(state, "a number field takes an integer"u8);
                }

                if (!BitField.TryWrite(bytes, field.BitOffset, field.BitLength, field.Endian, (ulong)value))
                {
                    return Raise(state, "field lies outside the data object"u8);
                }
            }

            if (obj->Region != null)
            {
                obj->Region->Modified = 1;
            }

            return 0;
        }
        catch (Exception)
        {
            return Raise(state, "internal error while writing a field"u8);
        }
    }

    /// <summary>#d: the object's length in bytes (0 once a packet's call has ended).</summary>
    [UnmanagedCallersOnly]
    private static int Length(IntPtr state)
    {
        DataObject* obj = Resolve(state, 1);
        LuaC.PushInteger(state, obj != null && obj->TryGetBytes(out Span<byte> bytes) ? bytes.Length : 0);
        return 1;
    }

    /// <summary>tostring(d): a copy of the bytes as a Lua string (empty once a packet's call has ended: __tostring must return a string).</summary>
    [UnmanagedCallersOnly]
    private static int ToString(IntPtr state)
    {
        try
        {
            DataObject* obj = Resolve(state, 1);
            if (obj == null || !obj->TryGetBytes(out Span<byte> bytes))
            {
                bytes = default;
            }

            using var guard = new LimitsGuard(state);
            if (!guard.ChargeBytes(state, bytes.Length))
            {
                bytes = default; // the call is stopped: it ends at its next instruction
            }

            fixed (byte* p = bytes)
            {
                LuaC.PushLString(state, p, (nuint)bytes.Length);
            }

            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>Looks key (index 2) up in the layout of the data object at index 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetField(IntPtr state, DataObject* obj, out FieldDescriptor field)
    {
        field = default;
        int layoutType;
        if (LuaC.Type(state, 1) == LuaC.TypeLightUserData)
        {
            var context = (RuleContext*)LuaC.ToUserData(state, LuaC.UpvalueIndex(ContextUpvalue));
            if (obj != &context->PacketObject)
            {
                return false; // a packet from an earlier call has no fields any more
            }

            layoutType = LuaC.RawGetI(state, LuaC.RegistryIndex, context->PacketLayoutSlot);
        }
        else
        {
            layoutType = LuaC.GetIUserValue(state, 1, DataObject.LayoutUserValue);
        }

        if (layoutType != LuaC.TypeTable)
        {
            LuaC.SetTop(state, -2);
            return false;
        }

        LuaC.PushValue(state, 2);
        LuaC.RawGet(state, -2);
        int isInteger;
        long packed = LuaC.ToIntegerX(state, -1, &isInteger);
        LuaC.SetTop(state, -3);
        if (isInteger == 0)
        {
            return false;
        }

        field = new FieldDescriptor(packed);
        return true;
    }

    private static void PushField(IntPtr state, DataObject* obj, FieldDescriptor field)
    {
        if (!obj->TryGetBytes(out Span<byte> bytes))
        {
            LuaC.PushNil(state);
            return;
        }

        if (field.IsString)
        {
            long start = field.BitOffset / 8, size = field.BitLength / 8;
            if (start + size > bytes.Length)
            {
                LuaC.PushNil(state);
                return;
            }

            using var guard = new LimitsGuard(state);
            if (!guard.ChargeBytes(state, size))
            {
                LuaC.PushNil(state); // the call is stopped: it ends at its next instruction
                return;
            }

            fixed (byte* p = bytes)
            {
                LuaC.PushLString(state, p + start, (nuint)size);
            }

            return;
        }

        if (BitField.TryRead(bytes, field.BitOffset, field.BitLength, field.Endian, out ulong value))
        {
            LuaC.PushInteger(state, (long)value);
        }
        else
        {
            LuaC.PushNil(state);
        }
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

    private static long OptInteger(IntPtr state, int index, long fallback, out bool ok)
    {
        if (LuaC.Type(state, index) <= LuaC.TypeNil)
        {
            ok = true;
            return fallback;
        }

        int isInteger;
        long value = LuaC.ToIntegerX(state, index, &isInteger);
        ok = isInteger != 0 && LuaC.Type(state, index) == LuaC.TypeNumber;
        return value;
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
