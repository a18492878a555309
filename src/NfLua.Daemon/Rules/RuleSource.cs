using NfLua.Scripting;

namespace NfLua.Daemon.Rules;

/// <summary>A rule to compile: where it came from (configuration or control socket), its text and its limits.</summary>
internal sealed record RuleSource(string Name, ushort Queue, byte[] Script, string ScriptName, RuleLimits Limits, bool FromConfiguration);
