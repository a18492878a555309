using System.Text.Json.Serialization;

namespace NfLua.Control;

/// <summary>The verdict a rule gives a packet when its script fails or exceeds a limit (<c>--on-error</c>).</summary>
public enum RuleFailureVerdict
{
    /// <summary>Let the packet through (<c>"accept"</c>).</summary>
    [JsonStringEnumMemberName("accept")]
    Accept,

    /// <summary>Drop the packet (<c>"drop"</c>).</summary>
    [JsonStringEnumMemberName("drop")]
    Drop,
}
