using System.Runtime.InteropServices;
using NfLua.Scripting.Streams;

namespace NfLua.Scripting.Interop;

/// <summary>
/// <c>nflua.want_stream</c>, <c>nflua.stream</c> and <c>nflua.flow_verdict</c> (docs/streams.md). Same rules as every
/// host function: no Lua error and no exception out; a value of false and a message is an error for sandbox.lua to raise.
/// </summary>
internal static unsafe class StreamCallbacks
{
    public static IntPtr WantStreamPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&WantStream;
    public static IntPtr StreamPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Stream;
    public static IntPtr FlowVerdictPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&FlowVerdict;
    public static IntPtr InterestPointer => (IntPtr)(delegate* unmanaged<IntPtr, int>)&Interest;

    /// <summary>wantstream([depth]): true, or false and a message.</summary>
    [UnmanagedCallersOnly]
    private static int WantStream(IntPtr state)
    {
        try
        {
            long depth = TcpStreams.DefaultDepth;
            if (LuaC.Type(state, 1) > LuaC.TypeNil)
            {
                int isInteger;
                depth = LuaC.ToIntegerX(state, 1, &isInteger);
                if (isInteger == 0 || LuaC.Type(state, 1) != LuaC.TypeNumber || depth < 1 || depth > TcpStreams.MaxDepth)
                {
                    return Error(state, "nflua.want_stream: the depth is a number of bytes from 1 to 1048576"u8);
                }
            }

            RuleCallbacks.Host(RuleCallbacks.Context(state)).Streams.WantStream((int)depth);
            LuaC.PushBoolean(state, 1);
            return 1;
        }
        catch (Exception)
        {
            return Error(state, "nflua.want_stream failed"u8);
        }
    }

    /// <summary>stream(pkt): a read-only data object over the stream, or nil and why, or false and a message.</summary>
    [UnmanagedCallersOnly]
    private static int Stream(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            RuleHost host = RuleCallbacks.Host(context);
            if (host.StreamsIfAny is not { Depth: > 0 } streams)
            {
                return Error(state, "nflua.stream needs nflua.want_stream() in the rule's main chunk (streams are followed from the connection's start)"u8);
            }

            if (DataCallbacks.Check(state, 1) != &context->PacketObject || context->Packet.Data == null)
            {
                return Error(state, "nflua.stream takes the packet of the current call"u8);
            }

            if (streams.Status != StreamStatus.Ready || context->Stream.Data == null)
            {
                LuaC.PushNil(state);
                ReadOnlySpan<byte> why = streams.Status switch
                {
                    StreamStatus.Midstream => "midstream"u8,
                    StreamStatus.Hole => "hole"u8,
                    StreamStatus.DepthReached => "depth"u8,
                    StreamStatus.SynData => "syn-data"u8,
                    StreamStatus.NoData => "no-data"u8,
                    _ => "not-tcp"u8,
                };
                DataCallbacks.Message(state, why);
                return 2;
            }

            using var guard = new LimitsGuard(state);
            DataCallbacks.PushObject(state, new DataObject { Region = &context->Stream, Generation = context->Stream.Generation, Length = context->Stream.Length });
            return 1;
        }
        catch (Exception)
        {
            LuaC.PushNil(state);
            return 1;
        }
    }

    /// <summary>flowverdict(pkt, "drop" | "accept"): true, or false and a message.</summary>
    [UnmanagedCallersOnly]
    private static int FlowVerdict(IntPtr state)
    {
        try
        {
            RuleContext* context = RuleCallbacks.Context(state);
            if (DataCallbacks.Check(state, 1) != &context->PacketObject || context->Packet.Data == null)
            {
                return Error(state, "nflua.flow_verdict takes the packet of the current call"u8);
            }

            bool drop;
            ReadOnlySpan<byte> word = Word(state, 2);
            if (word.SequenceEqual("drop"u8))
            {
                drop = true;
            }
            else if (word.SequenceEqual("accept"u8))
            {
                drop = false;
            }
            else
            {
                return Error(state, "nflua.flow_verdict: the verdict is \"drop\" or \"accept\""u8);
            }

            var packet = new ReadOnlySpan<byte>(context->Packet.Data, (int)context->Packet.Length);
            if (!RuleCallbacks.Host(context).Streams.SetVerdict(packet, drop, context->NowMs))
            {
                return Error(state, "nflua.flow_verdict: the packet belongs to no flow (not IP)"u8);
            }

            LuaC.PushBoolean(state, 1);
            return 1;
        }
        catch (Exception)
        {
            return Error(state, "nflua.flow_verdict failed"u8);
        }
    }

    /// <summary>interest(key, first, last): true, or false and a message (sandbox.lua checked the types).</summary>
    [UnmanagedCallersOnly]
    private static int Interest(IntPtr state)
    {
        try
        {
            int isInteger;
            long key = LuaC.ToIntegerX(state, 1, &isInteger);
            long first = LuaC.ToIntegerX(state, 2, &isInteger);
            long last = LuaC.ToIntegerX(state, 3, &isInteger);
            RuleContext* context = RuleCallbacks.Context(state);
            if (context->Packet.Data != null)
            {
                return Error(state, "nflua.interest belongs in the rule's main chunk (its queue indexes rules by it when they load)"u8);
            }

            RuleHost host = RuleCallbacks.Host(context);
            var interest = host.Interest ?? new PacketInterest();
            if (key is < 0 or > 3 || first < int.MinValue || last > int.MaxValue || !interest.Add((PacketInterest.Key)key, (int)first, (int)last))
            {
                return Error(state, "nflua.interest: a value out of range (protocol 0-255, ports 0-65535)"u8);
            }

            host.Interest = interest;
            LuaC.PushBoolean(state, 1);
            return 1;
        }
        catch (Exception)
        {
            return Error(state, "nflua.interest failed"u8);
        }
    }

    private static ReadOnlySpan<byte> Word(IntPtr state, int index)
    {
        if (LuaC.Type(state, index) != LuaC.TypeString)
        {
            return default;
        }

        nuint length;
        byte* p = LuaC.ToLString(state, index, &length);
        return new ReadOnlySpan<byte>(p, (int)Math.Min(length, 16));
    }

    private static int Error(IntPtr state, ReadOnlySpan<byte> message)
    {
        LuaC.PushBoolean(state, 0);
        DataCallbacks.Message(state, message);
        return 2;
    }
}
