using System.Globalization;

namespace NfLua.Control;

/// <summary>Reads the <c>Groups:</c> line of <c>/proc/PID/status</c>: a process's supplementary groups.</summary>
internal static class ProcStatusGroups
{
    public static IReadOnlyList<uint> Parse(string statusText)
    {
        foreach (string line in statusText.Split('\n'))
        {
            if (!line.StartsWith("Groups:", StringComparison.Ordinal))
            {
                continue;
            }

            var groups = new List<uint>();
            foreach (string field in line["Groups:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
                {
                    groups.Add(gid);
                }
            }

            return groups;
        }

        return [];
    }

    /// <summary>The groups of process <paramref name="processId"/>; empty when it is gone or unreadable.</summary>
    public static IReadOnlyList<uint> Read(int processId)
    {
        try
        {
            return processId > 0 ? Parse(File.ReadAllText($"/proc/{processId}/status")) : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
