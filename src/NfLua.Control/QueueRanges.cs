using System.Globalization;
using System.Text;

namespace NfLua.Control;

/// <summary>Queue sets as people read them: "queue 7", "queues 0-3", "queues 1, 5-6" (daemon logs and nflua-ctl alike).</summary>
public static class QueueRanges
{
    /// <summary>"queue 7" or "queues 0-3, 9".</summary>
    public static string Describe(IEnumerable<ushort> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ushort[] sorted = [.. queues.Distinct().Order()];
        return (sorted.Length == 1 ? "queue " : "queues ") + Compact(sorted);
    }

    /// <summary>As <see cref="Describe(IEnumerable{ushort})"/>, for queue numbers as the protocol carries them.</summary>
    public static string Describe(IEnumerable<int> queues) => Describe(queues.Select(q => (ushort)q));

    /// <summary>"0-3, 9": runs of consecutive queues as ranges.</summary>
    public static string Compact(IEnumerable<ushort> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ushort[] sorted = [.. queues.Distinct().Order()];
        var text = new StringBuilder();
        for (int i = 0; i < sorted.Length;)
        {
            int end = i;
            while (end + 1 < sorted.Length && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            text.Append(text.Length == 0 ? "" : ", ").Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (end > i)
            {
                text.Append('-').Append(sorted[end].ToString(CultureInfo.InvariantCulture));
            }

            i = end + 1;
        }

        return text.ToString();
    }
}
