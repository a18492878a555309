namespace NfLua.Control;

/// <summary>Who is at the other end of a Unix socket, as the kernel recorded it at connect time.</summary>
/// <param name="ProcessId">The peer's process id (in our pid namespace; 0 when unknown).</param>
/// <param name="UserId">The peer's effective uid.</param>
/// <param name="GroupId">The peer's effective (primary) gid.</param>
/// <param name="SupplementaryGroups">The peer's supplementary groups.</param>
internal sealed record PeerCredentials(int ProcessId, uint UserId, uint GroupId, IReadOnlyList<uint> SupplementaryGroups);
