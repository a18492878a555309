using System.Globalization;

namespace NfLua.Netlink.Bench;

/// <summary>
/// How long the calling thread has waited on a run queue for a CPU (field 2 of /proc/thread-self/schedstat):
/// time lost to other load on the machine, reported next to every result. 0 when the file is unavailable.
/// </summary>
internal static class RunQueueClock
{
    public static double WaitSeconds()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            return fields.Length > 1 ? ulong.Parse(fields[1], CultureInfo.InvariantCulture) / 1e9 : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
