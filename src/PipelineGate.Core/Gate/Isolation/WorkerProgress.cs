using System.Globalization;

namespace PipelineGate.Gate.Isolation;

/// <summary>
/// The progress lines a worker writes on stderr, one per phase, so that the gate can show progress and,
/// when the worker dies, name the variant and phase it died in. Fields are tab-separated; tabs and
/// line breaks inside names are replaced.
/// </summary>
public static class WorkerProgress
{
    public const string Prefix = "pipelinegate-worker-progress\t";

    public static string Format(GateProgress p) =>
        Prefix + Clean(p.Model) + "\t" + Clean(p.Variant) + "\t" + Clean(p.Phase) + "\t" + p.Fraction.ToString("R", CultureInfo.InvariantCulture);

    public static GateProgress? Parse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = line[Prefix.Length..].Split('\t');
        if (parts.Length != 4 || !double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            return null;
        }

        return new GateProgress(parts[0], parts[1], parts[2], fraction);
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
