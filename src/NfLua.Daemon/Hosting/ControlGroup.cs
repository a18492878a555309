namespace NfLua.Daemon.Hosting;

/// <summary>The control socket's group, named in the configuration, as a gid.</summary>
internal static class ControlGroup
{
    /// <summary>The gid of <paramref name="group"/> (null: no group configured: root only).</summary>
    /// <exception cref="StartupException">No such group, or the lookup failed.</exception>
    public static uint? Resolve(string? group)
    {
        if (group is null)
        {
            return null;
        }

        try
        {
            return Interop.Group.IdOf(group)
                ?? throw new StartupException("the control socket's group does not exist", [$"no group is called '{group}' (getent group {group})"]);
        }
        catch (IOException ex)
        {
            throw new StartupException("the control socket's group cannot be looked up", [ex.Message]);
        }
    }
}
