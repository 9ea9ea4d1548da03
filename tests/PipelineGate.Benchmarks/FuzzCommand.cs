using System.Globalization;
using PipelineGate.Benchmarks.Fuzz;

namespace PipelineGate.Benchmarks;

/// <summary>
/// <c>fuzz [onnx-count] [yaml-count] [seed] [check|no-check]</c>: mutated ONNX files through load/validate/inspect
/// and mutated configs through the config loader, both then through <c>check</c> in this process under the fuzz
/// profile (unless no-check); prints inputs tried, how many were gated, crashes, hangs (over
/// <see cref="FuzzRunner.Bound"/>) and the PG codes seen. Exit 1 when anything crashed or hung.
/// </summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        var onnx = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var yaml = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var check = args.Length <= 3 || args[3] != "no-check";
        var scratch = Path.Combine(Path.GetTempPath(), "pg-fuzz-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var reports = new[] { FuzzRunner.Onnx(onnx, seed, Path.Combine(scratch, "onnx"), check), FuzzRunner.Yaml(yaml, seed, Path.Combine(scratch, "yaml"), check) };
        foreach (var r in reports)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Kind}: {r.Tried} inputs from {r.Seeds} seeds in {r.Elapsed.TotalSeconds:0.0} s, {r.Checked} through check, {r.Crashes.Count} crashes, {r.Hangs} hangs (bound {FuzzRunner.Bound.TotalSeconds:0} s), {r.Accepted} accepted, {r.Codes.Count} distinct codes: {string.Join(", ", r.Codes.OrderBy(static c => c.Key, StringComparer.Ordinal).Select(static c => $"{c.Key}×{c.Value}"))}"));
            // One line per kind of crash (exception type and the frame it was thrown in), with its count and first input.
            foreach (var g in r.Crashes.GroupBy(static c => Signature(c), StringComparer.Ordinal).OrderByDescending(static g => g.Count()))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  crash ×{g.Count()}: {g.First()}"));
            }
        }

        var failed = reports.Any(static r => r.Crashes.Count > 0 || r.Hangs > 0);
        if (!failed)
        {
            Directory.Delete(scratch, recursive: true);
        }

        return failed ? 1 : 0;
    }

    private static string Signature(string crash)
    {
        var at = crash.IndexOf(" at ", StringComparison.Ordinal);
        var type = crash[..Math.Max(0, crash.IndexOf(':', StringComparison.Ordinal))];
        var frame = at < 0 ? "" : crash[(at + 4)..].Split(" in ", 2)[0];
        return type + " " + frame;
    }
}
