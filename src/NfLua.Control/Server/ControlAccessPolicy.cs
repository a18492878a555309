namespace NfLua.Control;

/// <summary>Who may use the control socket: root, and members of the configured group (primary or supplementary).</summary>
/// <param name="groupId">The group allowed besides root; null when only root may connect.</param>
/// <param name="groupName">The group's name, for refusals an operator can act on (<c>adduser alice nflua</c>).</param>
internal sealed class ControlAccessPolicy(uint? groupId, string? groupName = null)
{
    public bool IsAllowed(PeerCredentials peer) =>
        peer.UserId == 0 ||
        (groupId is uint group && (peer.GroupId == group || peer.SupplementaryGroups.Contains(group)));

    public string Describe(PeerCredentials peer) => groupId is uint group
        ? $"uid {peer.UserId} (pid {peer.ProcessId}) is neither root nor a member of group {(groupName is null ? group : $"{groupName} (gid {group})")}"
        : $"uid {peer.UserId} (pid {peer.ProcessId}) is not root, and no control group is configured";
}
