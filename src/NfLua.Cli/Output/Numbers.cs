using System.Globalization;

namespace NfLua.Cli.Output;

/// <summary>How numbers, sizes and durations read in tables (invariant culture: the same everywhere).</summary>
internal static class Numbers
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Plain(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A size in the largest binary unit it reaches, with at most two decimals (8 MiB, 95.37 MiB, 64 KiB,
    /// 512 B), so that a column of limits reads in one style; --json keeps the exact bytes.</summary>
    public static string Bytes(long value) => value switch
    {
        >= 1L << 30 => Scaled(value, 30, "GiB"),
        >= 1L << 20 => Scaled(value, 20, "MiB"),
        >= 1L << 10 => Scaled(value, 10, "KiB"),
        _ => Plain(value) + " B",
    };

    private static string Scaled(long value, int shift, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{value / (double)(1L << shift):0.##} {unit}");

    public static string Nanoseconds(double nanoseconds) => nanoseconds switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:0.##} s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.##} ms"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.##} us"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:0} ns"),
    };

    public static string Duration(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours}h {span.Minutes}m {span.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes}m {span.Seconds}s");
    }

    public static string YesNo(bool value) => value ? "yes" : "no";
}
