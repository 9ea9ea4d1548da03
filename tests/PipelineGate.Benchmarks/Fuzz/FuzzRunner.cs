using System.Diagnostics;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Validation;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks.Fuzz;

/// <summary>What a fuzz run saw: inputs tried, unhandled exceptions (crashes), inputs over the time bound (hangs), PG codes.</summary>
public sealed record FuzzReport(string Kind, int Tried, IReadOnlyList<string> Crashes, int Hangs, IReadOnlyDictionary<string, int> Codes, int Accepted, TimeSpan Elapsed)
{
    /// <summary>Inputs that also went through <c>check</c> (the rest were rejected before it, or are not gated).</summary>
    public int Checked { get; init; }

    public int Seeds { get; init; }
}

/// <summary>
/// Feeds mutants of real seeds (<see cref="FuzzSeeds"/>: the sample, the ONNX backend test models, the pinned
/// registry models; the sample config) through what a pull request reaches: ONNX files through load, validate,
/// inspect and <c>check</c>; configs through the config loader, every profile and <c>check</c> (<see cref="FuzzCheck"/>).
/// A PipelineGateException is a coded rejection; anything else is a crash. Each input runs under a time bound.
/// </summary>
public static class FuzzRunner
{
    public static TimeSpan Bound { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Mutants of the pinned registry models: one in this many (the rest come from the small seeds).</summary>
    public const int RealModelShare = 50;

    public static FuzzReport Onnx(int count, int seed, string scratch, bool check)
    {
        Directory.CreateDirectory(scratch);
        File.WriteAllBytes(Path.Combine(scratch, "weights.bin"), new byte[256]);
        var small = FuzzSeeds.Small();
        var real = FuzzSeeds.Real();
        var rng = new Random(seed);
        var gated = 0;
        var report = Loop("onnx", count, scratch, i =>
        {
            var (from, bytes) = NextOnnx(i, rng, small, real);
            return (bytes, () =>
            {
                var file = ModelFile.Load(bytes, "fuzz.onnx", scratch);
                var findings = ModelValidator.Validate(file);
                ModelInspector.Inspect(file);
                var codes = findings.Select(static d => d.CodeText).ToList();
                if (check && from.Check)
                {
                    Interlocked.Increment(ref gated);
                    codes.AddRange(FuzzCheck.Model(bytes, i, scratch));
                }

                return codes;
            });
        });
        return report with { Checked = gated, Seeds = small.Count + real.Count };
    }

    /// <summary>
    /// ONNX input <paramref name="index"/> of the sequence <paramref name="rng"/> drives: its seed and its mutant bytes.
    /// Every index draws from the one generator, so input N is only reproduced by generating inputs 0..N-1 first.
    /// </summary>
    public static (FuzzSeed From, byte[] Bytes) NextOnnx(int index, Random rng, IReadOnlyList<FuzzSeed> small, IReadOnlyList<FuzzSeed> real)
    {
        var from = index % RealModelShare == RealModelShare - 1 ? real[index / RealModelShare % real.Count] : small[rng.Next(small.Count)];
        return (from, OnnxMutator.Mutate(from.Bytes, rng));
    }

    /// <summary>ONNX input <paramref name="index"/> of seed <paramref name="seed"/>, as <c>fuzz</c> generates it.</summary>
    public static (FuzzSeed From, byte[] Bytes) OnnxInput(int seed, int index)
    {
        var small = FuzzSeeds.Small();
        var real = FuzzSeeds.Real();
        var rng = new Random(seed);
        for (var i = 0; ; i++)
        {
            var next = NextOnnx(i, rng, small, real);
            if (i == index)
            {
                return next;
            }
        }
    }

    public static FuzzReport Yaml(int count, int seed, string scratch, bool check)
    {
        Directory.CreateDirectory(scratch);
        CopyFolder(Path.Combine(RepoPaths.Root, "samples", "digits"), Path.Combine(scratch, "digits"));
        var seedText = FuzzSeedConfig(File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "pipelinegate.yml")));
        var rng = new Random(seed);
        var path = Path.Combine(scratch, "pipelinegate.yml");
        var gated = 0;
        var report = Loop("yaml", count, scratch, i =>
        {
            var text = YamlMutator.Mutate(seedText, rng);
            return (System.Text.Encoding.UTF8.GetBytes(text), () =>
            {
                File.WriteAllText(path, text);
                var config = ConfigLoader.Load(path);
                foreach (var profile in config.Profiles.Keys)
                {
                    config.WithProfile(profile);
                }

                // A mutant that lost the fuzz profile would measure for seconds per variant: loaded, not gated.
                if (!check || !config.Profiles.ContainsKey(FuzzCheck.Profile))
                {
                    return [];
                }

                Interlocked.Increment(ref gated);
                return FuzzCheck.Gate(config, Path.Combine(scratch, "cache"), Path.Combine(scratch, "out"));
            });
        });
        return report with { Checked = gated, Seeds = 1 };
    }

    /// <summary>The sample config with 100 evaluation rows and the fuzz profile, so a gate on it takes tens of milliseconds.</summary>
    public static string FuzzSeedConfig(string sample)
    {
        var text = sample.Replace("      labels: labels\n", "      labels: labels\n      limit: 100\n", StringComparison.Ordinal);
        if (text == sample)
        {
            throw new InvalidOperationException("The sample config has no 'labels: labels' line to add the evaluation limit after.");
        }

        return text.TrimEnd() + "\n" + FuzzCheck.ProfileYaml + "\n";
    }

    /// <summary>
    /// Inputs below this index are generated (the sequence stays the same) but not run: a supervisor restarts the
    /// harness after a native crash of the process (ORT faulting in-process) just past the input that caused it.
    /// </summary>
    public static int From { get; set; }

    /// <summary>When set, one line per input run is appended: kind, index, outcome, codes (totals over restarts).</summary>
    public static string? Journal { get; set; }

    private static FuzzReport Loop(string kind, int count, string scratch, Func<int, (byte[] Input, Func<IEnumerable<string>> Run)> next)
    {
        var crashes = new List<string>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var hangs = 0;
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        void CountTotal(string code)
        {
            lock (codes)
            {
                codes[code] = codes.GetValueOrDefault(code) + 1;
            }
        }

        var from = kind == "onnx" ? From : 0;
        for (var i = 0; i < count; i++)
        {
            var (input, run) = next(i);
            if (i < from)
            {
                continue;
            }

            // What a native crash of this process leaves behind for the supervisor: the input and its index.
            File.WriteAllBytes(Path.Combine(scratch, "current.bin"), input);
            File.WriteAllText(Path.Combine(scratch, "current.txt"), $"{kind} {i}");
            var seen = new List<string>();
            void Count(string code)
            {
                lock (seen)
                {
                    seen.Add(code);
                }

                CountTotal(code);
            }

            var task = Task.Run(() =>
            {
                try
                {
                    foreach (var c in run())
                    {
                        Count(c);
                    }

                    return (string?)null;
                }
                catch (ConfigException ex)
                {
                    foreach (var d in ex.Diagnostics)
                    {
                        Count(d.CodeText);
                    }

                    return "rejected";
                }
                catch (PipelineGateException ex)
                {
                    Count(ex.Diagnostic.CodeText);
                    return "rejected";
                }
                catch (Exception ex)
                {
                    var saved = Path.Combine(scratch, $"crash-{kind}-{i}.bin");
                    File.WriteAllBytes(saved, input);
                    return $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]} ({saved}) {string.Join(" < ", ex.StackTrace?.Split('\n').Take(4).Select(static l => l.Trim()) ?? [])}";
                }
            });
            if (!task.Wait(Bound))
            {
                hangs++;
                File.WriteAllBytes(Path.Combine(scratch, $"hang-{kind}-{i}.bin"), input);
                Record(kind, i, "hang", []);
                continue;
            }

            lock (seen)
            {
                Record(kind, i, task.Result switch { null => "accepted", "rejected" => "rejected", _ => "crash" }, seen.Distinct(StringComparer.Ordinal));
            }

            switch (task.Result)
            {
                case null:
                    accepted++;
                    break;
                case "rejected":
                    break;
                case var crash:
                    crashes.Add(crash);
                    break;
            }
        }

        return new FuzzReport(kind, count, crashes, hangs, codes, accepted, clock.Elapsed);
    }

    private static void Record(string kind, int index, string outcome, IEnumerable<string> codes)
    {
        if (Journal is { } journal)
        {
            File.AppendAllText(journal, $"{kind}\t{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}\t{outcome}\t{string.Join(' ', codes)}\n");
        }
    }

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(f, dest, overwrite: true);
        }
    }
}
