namespace NfLua.Control;

/// <summary>The process at the other end of a control connection, for the audit trail.</summary>
/// <param name="UserId">Its effective uid when it connected.</param>
/// <param name="ProcessId">Its process id (0 when the kernel did not say).</param>
public sealed record ControlPeer(uint UserId, int ProcessId);
