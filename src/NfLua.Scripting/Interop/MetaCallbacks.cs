namespace NfLua.Scripting.Interop;

/// <summary>
/// <c>nflua.meta(pkt)</c>: the __index of the one read-only view a rule's state has of the current
/// packet's metadata (<see cref="PacketMeta"/>). Field names are compared as bytes and values pushed
/// as integers, booleans or short (interned) strings: nothing is allocated per packet. Outside a
/// call, and for fields the packet does not have, fields read nil.
/// </summary>
internal static unsafe class MetaCallbacks
{
    public static IntPtr IndexPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Index;

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int Index(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            nuint length = 0;
            byte* key = LuaC.Type(state, 2) == LuaC.TypeString ? LuaC.ToLString(state, 2, &length) : null;
            if (context == null || key == null || context->Packet.Data == null)
            {
                LuaC.PushNil(state);
                return 1;
            }

            Push(state, context, new ReadOnlySpan<byte>(key, (int)length));
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    private static void Push(IntPtr state, RuleContext* context, ReadOnlySpan<byte> key)
    {
        ref readonly PacketMeta meta = ref context->Meta;
        if (key.SequenceEqual("hook"u8))
        {
            PushString(state, HookName(meta.Hook));
        }
        else if (key.SequenceEqual("indev"u8))
        {
            PushInterface(state, context, meta.InputInterface);
        }
        else if (key.SequenceEqual("outdev"u8))
        {
            PushInterface(state, context, meta.OutputInterface);
        }
        else if (key.SequenceEqual("physindev"u8))
        {
            PushInterface(state, context, meta.PhysicalInputInterface);
        }
        else if (key.SequenceEqual("physoutdev"u8))
        {
            PushInterface(state, context, meta.PhysicalOutputInterface);
        }
        else if (key.SequenceEqual("ifindex_in"u8))
        {
            PushIndex(state, meta.InputInterface);
        }
        else if (key.SequenceEqual("ifindex_out"u8))
        {
            PushIndex(state, meta.OutputInterface);
        }
        else if (key.SequenceEqual("uid"u8))
        {
            PushOptional(state, meta.HasUid, meta.Uid);
        }
        else if (key.SequenceEqual("gid"u8))
        {
            PushOptional(state, meta.HasGid, meta.Gid);
        }
        else if (key.SequenceEqual("mark"u8))
        {
            LuaC.PushInteger(state, meta.Mark);
        }
        else if (key.SequenceEqual("priority"u8))
        {
            LuaC.PushInteger(state, meta.Priority);
        }
        else if (key.SequenceEqual("hwaddr"u8))
        {
            PushHardwareAddress(state, in meta);
        }
        else if (key.SequenceEqual("gso"u8))
        {
            LuaC.PushBoolean(state, meta.Gso ? 1 : 0);
        }
        else if (key.SequenceEqual("len"u8))
        {
            LuaC.PushInteger(state, meta.Length > 0 ? meta.Length : context->Packet.Length);
        }
        else
        {
            LuaC.PushNil(state); // "ct" too: this kernel delivers no conntrack data (docs/internals.md)
        }
    }

    private static ReadOnlySpan<byte> HookName(PacketHook hook) => hook switch
    {
        PacketHook.Prerouting => "prerouting"u8,
        PacketHook.Input => "input"u8,
        PacketHook.Forward => "forward"u8,
        PacketHook.Output => "output"u8,
        PacketHook.Postrouting => "postrouting"u8,
        _ => default,
    };

    private static void PushInterface(IntPtr state, RuleContext* context, uint index)
    {
        IInterfaceNames? names = index == 0 ? null : RuleCallbacks.Host(context).Environment.Interfaces;
        PushString(state, names is null ? default : names.Name(index));
    }

    private static void PushIndex(IntPtr state, uint index)
    {
        if (index == 0)
        {
            LuaC.PushNil(state);
        }
        else
        {
            LuaC.PushInteger(state, index);
        }
    }

    private static void PushOptional(IntPtr state, bool present, uint value)
    {
        if (present)
        {
            LuaC.PushInteger(state, value);
        }
        else
        {
            LuaC.PushNil(state);
        }
    }

    private static void PushHardwareAddress(IntPtr state, in PacketMeta meta)
    {
        Span<byte> address = stackalloc byte[8];
        int length = meta.CopyHardwareAddress(address);
        if (length == 0)
        {
            LuaC.PushNil(state);
            return;
        }

        // "aa:bb:cc:dd:ee:ff": at most 23 characters, a short string Lua interns.
        Span<byte> text = stackalloc byte[24];
        int n = 0;
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                text[n++] = (byte)':';
            }

            text[n++] = Hex(address[i] >> 4);
            text[n++] = Hex(address[i] & 0xF);
        }

        PushString(state, text[..n]);
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static void PushString(IntPtr state, ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            LuaC.PushNil(state);
            return;
        }

        using var guard = new LimitsGuard(state); // a string never seen before is a (small) allocation
        fixed (byte* p = text)
        {
            LuaC.PushLString(state, p, (nuint)text.Length);
        }
    }
}
