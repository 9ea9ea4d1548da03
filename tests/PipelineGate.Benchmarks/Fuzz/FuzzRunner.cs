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
public sealed record FuzzReport(string Kind, int Tried, IReadOnlyList<string> Crashes, int Hangs, IReadOnlyDictionary<string, int> Codes, int Accepted, TimeSpan Elapsed);

/// <summary>
/// Feeds mutants of real seeds (the bundled sample model and config, and small real graphs) through what a
/// pull request reaches: ONNX files through load, validate and inspect; configs through the config loader.
/// A PipelineGateException is a coded rejection; anything else is a crash. Each input runs under a time bound.
/// </summary>
public static class FuzzRunner
{
    public static TimeSpan Bound { get; } = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<byte[]> OnnxSeeds() =>
    [
        File.ReadAllBytes(Path.Combine(RepoPaths.Root, "samples", "digits", "digits_mlp.onnx")),
        TinyModels.AddBias(8, 0.5f),
        TinyModels.MatMulChain(8, 4),
        TinyModels.Identity(TensorElementType.Float, "batch", "3"),
        HostileModels.EndlessLoop(),
    ];

    public static FuzzReport Onnx(int count, int seed, string scratch)
    {
        Directory.CreateDirectory(scratch);
        File.WriteAllBytes(Path.Combine(scratch, "weights.bin"), new byte[256]);
        var seeds = OnnxSeeds();
        var rng = new Random(seed);
        return Loop("onnx", count, scratch, i =>
        {
            var bytes = OnnxMutator.Mutate(seeds[i % seeds.Count], rng);
            return (bytes, () =>
            {
                var file = ModelFile.Load(bytes, "fuzz.onnx", scratch);
                var findings = ModelValidator.Validate(file);
                ModelInspector.Inspect(file);
                return findings.Select(static d => d.CodeText);
            });
        });
    }

    public static FuzzReport Yaml(int count, int seed, string scratch)
    {
        Directory.CreateDirectory(scratch);
        CopyFolder(Path.Combine(RepoPaths.Root, "samples", "digits"), Path.Combine(scratch, "digits"));
        var seedText = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "pipelinegate.yml"));
        var rng = new Random(seed);
        var path = Path.Combine(scratch, "pipelinegate.yml");
        return Loop("yaml", count, scratch, _ =>
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

                return [];
            });
        });
    }

    private static FuzzReport Loop(string kind, int count, string scratch, Func<int, (byte[] Input, Func<IEnumerable<string>> Run)> next)
    {
        var crashes = new List<string>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var hangs = 0;
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        void Count(string code) => codes[code] = codes.GetValueOrDefault(code) + 1;
        for (var i = 0; i < count; i++)
        {
            var (input, run) = next(i);
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
                continue;
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
