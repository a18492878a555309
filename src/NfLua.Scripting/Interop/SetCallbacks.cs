using System.Runtime.InteropServices;
using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Scripting.Interop;

/// <summary>
/// <c>nflua.set(NAME)</c> and the set handles' methods. A handle is a 4-byte userdata holding an
/// index into the rule's <see cref="RuleHost.Sets"/>; the set itself lives in the host, outside the
/// rule's Lua heap, shared by every rule that asks for it. Same rules as every host function: no Lua
/// error, no exception out; an error is pushed and <see cref="LuaC.Raise"/> returned, for the native
/// trampoline to raise (the handle's <c>contains</c> is that trampoline itself: no Lua wrapper).
/// </summary>
internal static unsafe class SetCallbacks
{
    public static IntPtr GetPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Get;
    public static IntPtr ContainsPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Contains;
    public static IntPtr LengthPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Length;
    public static IntPtr ToStringPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&ToString;

    /// <summary>nflua.set(name): a handle; raises for an unknown name.</summary>
    [UnmanagedCallersOnly]
    private static int Get(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            RuleHost host = RuleCallbacks.Host(context);
            string? name = LuaC.Type(state, 1) == LuaC.TypeString ? Text(state, 1) : null;
            if (name is null || !host.Environment.Sets.TryGetValue(name, out NamedSet? set))
            {
                string known = host.Environment.Sets.Count == 0 ? "none is defined" : "defined: " + string.Join(", ", host.Environment.Sets.Keys.Order(StringComparer.Ordinal));
                return Raise(state, $"unknown set '{name ?? "(not a string)"}' ({known})");
            }

            int index = host.Sets.IndexOf(set);
            if (index < 0)
            {
                host.Sets.Add(set);
                index = host.Sets.Count - 1;
            }

            using var guard = new LimitsGuard(state);
            *(int*)LuaC.NewUserDataUv(state, sizeof(int), 0) = index;
            LuaC.RawGetI(state, LuaC.RegistryIndex, context->SetMetatableSlot);
            LuaC.SetMetatable(state, -2);
            return 1;
        }
        catch (Exception)
        {
            return RaiseInternal(state, "nflua.set: internal error"u8);
        }
    }

    /// <summary>
    /// handle:contains(text) or handle:contains(pkt, "src" | "dst"): a boolean; raises when misused. The common
    /// call, a handle and a string, makes four native calls (context, handle, string, result).
    /// </summary>
    [UnmanagedCallersOnly]
    private static int Contains(IntPtr state)
    {
        try
        {
            NamedSet? set = Resolve(state, 1);
            if (set is null)
            {
                return Raise(state, "contains: call it on a set (bad:contains(x)), not with a dot");
            }

            IMatchSet contents = set.Current;
            nuint length;
            byte* text = LuaC.ToStringOnly(state, 2, &length);
            if (text != null)
            {
                LuaC.PushBoolean(state, contents.Contains(new ReadOnlySpan<byte>(text, (int)length)) ? 1 : 0);
                return 1;
            }

            int type = LuaC.Type(state, 2);
            DataObject* packet = type is LuaC.TypeLightUserData or LuaC.TypeUserData ? DataCallbacks.Check(state, 2) : null;
            if (packet == null)
            {
                return Raise(state, "contains takes a string, or a packet and \"src\" or \"dst\"");
            }

            if (contents is not CidrSet networks)
            {
                return Raise(state, $"set {set.Name} holds {set.Kind.ToString().ToLowerInvariant()} entries: only a cidr set takes a packet");
            }

            bool source;
            nuint whichLength = 0;
            byte* which = LuaC.Type(state, 3) == LuaC.TypeString ? LuaC.ToLString(state, 3, &whichLength) : null;
            ReadOnlySpan<byte> word = which == null ? default : new ReadOnlySpan<byte>(which, (int)whichLength);
            if (word.SequenceEqual("src"u8))
            {
                source = true;
            }
            else if (word.SequenceEqual("dst"u8))
            {
                source = false;
            }
            else
            {
                return Raise(state, "contains(pkt, which): which is \"src\" or \"dst\"");
            }

            bool found = packet->TryGetBytes(out Span<byte> bytes) && Address(bytes, source) is { IsEmpty: false } address && networks.ContainsAddress(address);
            LuaC.PushBoolean(state, found ? 1 : 0);
            return 1;
        }
        catch (Exception)
        {
            return RaiseInternal(state, "contains: internal error"u8);
        }
    }

    /// <summary>#handle: the entries in the set now.</summary>
    [UnmanagedCallersOnly]
    private static int Length(IntPtr state)
    {
        try
        {
            NamedSet? set = Resolve(state, 1);
            LuaC.PushInteger(state, set?.Current.Count ?? 0);
        }
        catch (Exception)
        {
            LuaC.PushInteger(state, 0);
        }

        return 1;
    }

    /// <summary>tostring(handle): "set NAME (kind, N entries)".</summary>
    [UnmanagedCallersOnly]
    private static int ToString(IntPtr state)
    {
        try
        {
            NamedSet? set = Resolve(state, 1);
            string text = set is null ? "set" : $"set {set.Name} ({set.Kind.ToString().ToLowerInvariant()}, {set.Current.Count} entries)";
            return Push(state, text);
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>The address of an IPv4 or IPv6 packet (source or destination), empty for anything shorter or else.</summary>
    private static ReadOnlySpan<byte> Address(ReadOnlySpan<byte> packet, bool source)
    {
        int version = packet.IsEmpty ? 0 : packet[0] >> 4;
        if (version == 4 && packet.Length >= 20)
        {
            return packet.Slice(source ? 12 : 16, 4);
        }

        if (version == 6 && packet.Length >= 40)
        {
            return packet.Slice(source ? 8 : 24, 16);
        }

        return default;
    }

    /// <summary>The set of the handle at <paramref name="index"/>; null for anything that is not one of this rule's handles.</summary>
    private static NamedSet? Resolve(IntPtr state, int index)
    {
        RuleContext* context = RuleCallbacks.Context(state);
        int* handle = (int*)LuaC.ToUserDataWithMetatable(state, index, context->SetMetatable);
        if (handle == null)
        {
            return null;
        }

        List<NamedSet> sets = RuleCallbacks.Host(context).Sets;
        int i = *handle;
        return (uint)i < (uint)sets.Count ? sets[i] : null;
    }

    private static string Text(IntPtr state, int index)
    {
        nuint length;
        byte* text = LuaC.ToLString(state, index, &length);
        return Encoding.UTF8.GetString(text, (int)Math.Min(length, 256));
    }

    /// <summary>Pushes <paramref name="message"/> for the trampoline to raise with the caller's position.</summary>
    private static int Raise(IntPtr state, string message)
    {
        Push(state, message);
        return LuaC.Raise;
    }

    /// <summary><see cref="Raise"/> for a catch block: a fixed message, nothing managed allocated.</summary>
    private static int RaiseInternal(IntPtr state, ReadOnlySpan<byte> message)
    {
        using var guard = new LimitsGuard(state);
        fixed (byte* p = message)
        {
            LuaC.PushLString(state, p, (nuint)message.Length);
        }

        return LuaC.Raise;
    }

    private static int Push(IntPtr state, string text)
    {
        using var guard = new LimitsGuard(state);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            LuaC.PushLString(state, p, (nuint)bytes.Length);
        }

        return 1;
    }
}
