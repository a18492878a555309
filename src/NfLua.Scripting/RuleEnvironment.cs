namespace NfLua.Scripting;

/// <summary>
/// What the host gives a rule besides its script and limits: its parameters (<c>nflua.params</c>),
/// the named sets it may ask for (<c>nflua.set</c>), trusted modules it may <c>require</c>, and the
/// interface names <c>nflua.meta</c> reads. Everything is optional.
/// </summary>
public sealed record RuleEnvironment
{
    /// <summary>An environment with nothing in it.</summary>
    public static RuleEnvironment Empty { get; } = new();

    /// <summary>The rule's parameters: strings, integers, booleans, lists and maps of them (<see cref="RuleParams"/>).</summary>
    public RuleParams Params { get; init; } = RuleParams.Empty;

    /// <summary>The sets rules may ask for by name.</summary>
    public IReadOnlyDictionary<string, NamedSet> Sets { get; init; } = new Dictionary<string, NamedSet>();

    /// <summary>Trusted Lua modules by name (<c>require "name"</c>), each run in the rule's own state.</summary>
    public IReadOnlyDictionary<string, RuleModule> Modules { get; init; } = new Dictionary<string, RuleModule>();

    /// <summary>Interface names for <c>nflua.meta(pkt).indev</c> and friends; none: they read nil.</summary>
    public IInterfaceNames? Interfaces { get; init; }

    /// <summary>Where the rules' messages (<c>nflua.log</c>, <c>nflua.alert</c>, failures) are collected; none: each rule keeps its own, under the default limits.</summary>
    public Messages.RuleMessageHub? Messages { get; init; }
}

/// <summary>A trusted module's source, for <c>require</c>.</summary>
/// <param name="Source">The Lua text.</param>
/// <param name="ChunkName">The name its errors carry (usually its file).</param>
public sealed record RuleModule(byte[] Source, string ChunkName);
