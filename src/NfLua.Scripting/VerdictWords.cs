namespace NfLua.Scripting;

/// <summary>The verdict words a <c>filter</c> may return.</summary>
internal static class VerdictWords
{
    public static FilterVerdict? Parse(ReadOnlySpan<byte> word) => word switch
    {
        _ when word.SequenceEqual("pass"u8) => FilterVerdict.Pass,
        _ when word.SequenceEqual("accept"u8) => FilterVerdict.Accept,
        _ when word.SequenceEqual("drop"u8) => FilterVerdict.Drop,
        _ when word.SequenceEqual("repeat"u8) => FilterVerdict.Repeat,
        _ when word.SequenceEqual("stop"u8) => FilterVerdict.Stop,
        _ when word.SequenceEqual("queue"u8) => FilterVerdict.Queue,
        _ when word.SequenceEqual("reject"u8) => FilterVerdict.Reject,
        _ => null,
    };
}
