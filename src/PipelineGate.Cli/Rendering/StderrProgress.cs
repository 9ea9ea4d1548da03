using System.Globalization;

namespace PipelineGate.Cli.Rendering;

/// <summary>
/// Progress of long work (calibration, the fallback search, evaluation) as plain lines on standard error,
/// so that standard output holds only the command's result and a pipe or a log gets no escapes.
/// </summary>
internal static class StderrProgress
{
    /// <summary>Each message of a step (OptimizationContext.Log), prefixed with what is running.</summary>
    public static IProgress<string> Messages(string prefix) =>
        new SynchronousProgress<string>(m => Console.Error.WriteLine($"{prefix}: {m}"));

    /// <summary>A fraction done, written at every tenth (not every batch: a log is read by people).</summary>
    public static IProgress<double> Fraction(string what)
    {
        var written = -1;
        return new SynchronousProgress<double>(f =>
        {
            var tenth = (int)Math.Floor(Math.Clamp(f, 0, 1) * 10);
            if (tenth > written)
            {
                written = tenth;
                Console.Error.WriteLine($"{what}: {(tenth * 10).ToString(CultureInfo.InvariantCulture)}%");
            }
        });
    }
}
