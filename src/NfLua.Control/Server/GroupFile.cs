namespace NfLua.Control;

/// <summary>Group names from /etc/group (where the package's systemd-sysusers and groupadd put the group nflua).</summary>
internal static class GroupFile
{
    public const string DefaultPath = "/etc/group";

    /// <summary>The name of group <paramref name="gid"/>, or null when the file does not list it or cannot be read.</summary>
    public static string? NameOf(uint gid, string path = DefaultPath)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 3 && uint.TryParse(fields[2], out uint id) && id == gid && fields[0].Length > 0)
                {
                    return fields[0];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The number alone still identifies the group.
        }

        return null;
    }
}
