using System.Globalization;

namespace Mixnet.Directory.Cli.Rendering;

/// <summary>How numbers, times and durations are printed: invariant culture, short and stable.</summary>
public static class Format
{
    public static string Duration(TimeSpan value) => value.TotalSeconds switch
    {
        < 1 => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms",
        < 120 => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s",
        _ => value.ToString("c", CultureInfo.InvariantCulture),
    };

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Count(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString("N1", CultureInfo.InvariantCulture);

    /// <summary>A 0..1 score with three decimals, as the directory rounds it.</summary>
    public static string Score(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A node's reliability for tables: the score, "excluded" after it when so, "-" when not scored.</summary>
    public static string Quality(Client.NodeQuality? quality) => quality is null
        ? "-"
        : Score(quality.Reliability) + (quality.Excluded ? " excluded" : "");

    public static string Age(TimeSpan value) => value < TimeSpan.Zero ? "0 s ago" : Duration(value) + " ago";
}
