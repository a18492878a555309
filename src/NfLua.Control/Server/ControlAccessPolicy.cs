namespace NfLua.Control;

/// <summary>Who may use the control socket: root, and members of the configured group (primary or supplementary).</summary>
internal sealed class ControlAccessPolicy(uint? groupId)
{
    public bool IsAllowed(PeerCredentials peer) =>
        peer.UserId == 0 ||
        (groupId is uint group && (peer.GroupId == group || peer.SupplementaryGroups.Contains(group)));

    public string Describe(PeerCredentials peer) => groupId is uint group
        ? $"uid {peer.UserId} (pid {peer.ProcessId}) is neither root nor a member of group {group}"
        : $"uid {peer.UserId} (pid {peer.ProcessId}) is not root, and no control group is configured";
}
