using NfLua.Control;
using NfLua.Scripting;

namespace NfLua.Daemon.Hosting;

/// <summary>The failure verdict as the control protocol names it and as the rules hold it: the daemon's one mapping.</summary>
internal static class RuleFailureVerdicts
{
    public static ErrorVerdict ToErrorVerdict(RuleFailureVerdict verdict) =>
        verdict == RuleFailureVerdict.Drop ? ErrorVerdict.Drop : ErrorVerdict.Accept;

    public static RuleFailureVerdict FromErrorVerdict(ErrorVerdict verdict) =>
        verdict == ErrorVerdict.Drop ? RuleFailureVerdict.Drop : RuleFailureVerdict.Accept;
}
