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
        var named = args.Skip(4).Select(static a => a.Split('=', 2)).Where(static a => a.Length == 2).ToDictionary(static a => a[0], static a => a[1], StringComparer.Ordinal);
        var scratch = named.GetValueOrDefault("scratch") ?? Path.Combine(Path.GetTempPath(), "pg-fuzz-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        FuzzRunner.From = named.TryGetValue("from", out var from) ? int.Parse(from, CultureInfo.InvariantCulture) : 0;
        FuzzRunner.Journal = named.GetValueOrDefault("journal");
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

        if (FuzzRunner.Journal is { } journal)
        {
            Summarize(journal);
        }

        var failed = reports.Any(static r => r.Crashes.Count > 0 || r.Hangs > 0);
        if (!failed && !named.ContainsKey("scratch"))
        {
            Directory.Delete(scratch, recursive: true);
        }

        return failed ? 1 : 0;
    }

    /// <summary>Totals over every segment of a supervised run (fuzz-supervised.sh appends "native" lines for process crashes).</summary>
    private static void Summarize(string journal)
    {
        var lines = File.ReadAllLines(journal).Select(static l => l.Split('\t')).Where(static l => l.Length >= 3).ToArray();
        foreach (var kind in lines.GroupBy(static l => l[0], StringComparer.Ordinal))
        {
            var outcomes = kind.GroupBy(static l => l[2], StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);
            var codes = kind.SelectMany(static l => l.Length > 3 ? l[3].Split(' ', StringSplitOptions.RemoveEmptyEntries) : []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"journal {kind.Key}: {kind.Count()} inputs run; {string.Join(", ", outcomes.OrderBy(static o => o.Key, StringComparer.Ordinal).Select(static o => $"{o.Key} {o.Value}"))}; {codes.Length} distinct codes: {string.Join(", ", codes)}"));
        }
    }

    private static string Signature(string crash)
    {
        var at = crash.IndexOf(" at ", StringComparison.Ordinal);
        var type = crash[..Math.Max(0, crash.IndexOf(':', StringComparison.Ordinal))];
        var frame = at < 0 ? "" : crash[(at + 4)..].Split(" in ", 2)[0];
        return type + " " + frame;
    }
}
