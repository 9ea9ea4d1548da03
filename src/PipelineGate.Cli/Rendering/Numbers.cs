using System.Globalization;

namespace PipelineGate.Cli.Rendering;

/// <summary>Number formatting for people: invariant culture always, so a report reads the same on every runner.</summary>
internal static class Numbers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Count(long n) => n.ToString("N0", Inv);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes.ToString(Inv)} B",
        < 1024 * 1024 => $"{(bytes / 1024.0).ToString("0.0", Inv)} KiB",
        < 1024L * 1024 * 1024 => $"{(bytes / (1024.0 * 1024)).ToString("0.00", Inv)} MiB",
        _ => $"{(bytes / (1024.0 * 1024 * 1024)).ToString("0.00", Inv)} GiB",
    };

    /// <summary>Large counts with an SI suffix (1.23 G), for MACs and parameters.</summary>
    public static string Si(long n) => n switch
    {
        < 10_000 => n.ToString(Inv),
        < 10_000_000 => $"{(n / 1e3).ToString("0.##", Inv)} k",
        < 10_000_000_000 => $"{(n / 1e6).ToString("0.##", Inv)} M",
        _ => $"{(n / 1e9).ToString("0.##", Inv)} G",
    };

    /// <summary>A duration given in milliseconds, in µs below 0.1 ms so that tiny models stay readable.</summary>
    public static string Ms(double ms) => ms < 0.1
        ? (ms * 1000).ToString(ms < 0.01 ? "0.00" : "0.0", Inv) + " µs"
        : ms.ToString(ms < 1 ? "0.000" : ms < 100 ? "0.00" : "0.0", Inv) + " ms";
}
