using System.Runtime.InteropServices;
using System.Text;
using NfLua.Packets.Sets;

namespace NfLua.Scripting.Interop;

/// <summary>
/// <c>nflua.set(NAME)</c> and the set handles' methods. A handle is a 4-byte userdata holding an
/// index into the rule's <see cref="RuleHost.Sets"/>; the set itself lives in the host, outside the
/// rule's Lua heap, shared by every rule that asks for it. Same rules as every host function: no Lua
/// error, no exception out; errors are returned for sandbox.lua to raise.
/// </summary>
internal static unsafe class SetCallbacks
{
    public static IntPtr GetPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Get;
    public static IntPtr ContainsPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Contains;
    public static IntPtr LengthPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Length;
    public static IntPtr ToStringPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&ToString;

    /// <summary>getset(name): a handle, or nil and a message.</summary>
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
                return Message(state, $"unknown set '{name ?? "(not a string)"}' ({known})");
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
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>contains(handle, text) or contains(handle, pkt, "src" | "dst"): a boolean, or nil and a message.</summary>
    [UnmanagedCallersOnly]
    private static int Contains(IntPtr state)
    {
        try
        {
            NamedSet? set = Resolve(state, 1);
            if (set is null)
            {
                return Message(state, "contains: call it on a set (bad:contains(x)), not with a dot");
            }

            IMatchSet contents = set.Current;
            int type = LuaC.Type(state, 2);
            if (type == LuaC.TypeString)
            {
                nuint length;
                byte* text = LuaC.ToLString(state, 2, &length);
                LuaC.PushBoolean(state, contents.Contains(new ReadOnlySpan<byte>(text, (int)length)) ? 1 : 0);
                return 1;
            }

            DataObject* packet = type is LuaC.TypeLightUserData or LuaC.TypeUserData ? DataCallbacks.Check(state, 2) : null;
            if (packet == null)
            {
                return Message(state, "contains takes a string, or a packet and \"src\" or \"dst\"");
            }

            if (contents is not CidrSet networks)
            {
                return Message(state, $"set {set.Name} holds {set.Kind.ToString().ToLowerInvariant()} entries: only a cidr set takes a packet");
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
                return Message(state, "contains(pkt, which): which is \"src\" or \"dst\"");
            }

            bool found = packet->TryGetBytes(out Span<byte> bytes) && Address(bytes, source) is { IsEmpty: false } address && networks.ContainsAddress(address);
            LuaC.PushBoolean(state, found ? 1 : 0);
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>#handle: the entries in the set now.</summary>
    [UnmanagedCallersOnly]
    private static int Length(IntPtr state)
    {
        NamedSet? set = Resolve(state, 1);
        LuaC.PushInteger(state, set?.Current.Count ?? 0);
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

    private static NamedSet? Resolve(IntPtr state, int index)
    {
        if (LuaC.Type(state, index) != LuaC.TypeUserData || LuaC.GetMetatable(state, index) == 0)
        {
            return null;
        }

        RuleContext* context = RuleCallbacks.Context(state);
        LuaC.RawGetI(state, LuaC.RegistryIndex, context->SetMetatableSlot);
        bool ours = LuaC.RawEqual(state, -1, -2) != 0;
        LuaC.SetTop(state, -3);
        if (!ours)
        {
            return null;
        }

        int i = *(int*)LuaC.ToUserData(state, index);
        List<NamedSet> sets = RuleCallbacks.Host(context).Sets;
        return i >= 0 && i < sets.Count ? sets[i] : null;
    }

    private static string Text(IntPtr state, int index)
    {
        nuint length;
        byte* text = LuaC.ToLString(state, index, &length);
        return Encoding.UTF8.GetString(text, (int)Math.Min(length, 256));
    }

    private static int Message(IntPtr state, string message)
    {
        LuaC.PushNil(state);
        Push(state, message);
        return 2;
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
