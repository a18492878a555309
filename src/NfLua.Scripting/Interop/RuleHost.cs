namespace NfLua.Scripting.Interop;

/// <summary>
/// The managed half of a rule's context, reached from callbacks through a GCHandle: what the rule's
/// Lua state may ask of the host besides the packet.
/// </summary>
internal sealed class RuleHost(string rule, FlowTable flows, RuleEnvironment environment)
{
    /// <summary>What the rule says (nflua.log, nflua.alert, failures): registered with the environment's hub when it has one.</summary>
    public Messages.RuleMessages Messages { get; } = environment.Messages?.Register(rule) ?? new Messages.RuleMessages(rule, Scripting.Messages.RuleMessageSettings.Default);

    public FlowTable Flows { get; } = flows;

    public RuleEnvironment Environment { get; } = environment;

    /// <summary>The sets this rule asked for, by the index its handles carry.</summary>
    public List<NamedSet> Sets { get; } = [];
}
