using System.Globalization;
using System.Text.Json;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Where structured pruning's time goes (issue 14): ONNX Runtime's own per-node profile (1 intra-op thread,
/// the gate's session defaults, kernel times summed per op type and per part of the model, per run) of the
/// original and the pruned variants, then CPU latency of every variant against the original A/B interleaved in
/// one process with the gate's engine, round after round. cls: the PP-OCR classifier at channel 30% with
/// each given multiple-of (the pruner's left-alone list printed); minilm: all-MiniLM-L6-v2 with 4 of 12 heads
/// removed, at the median token length of the first 256 fortune cookies and at 128 tokens.
/// Usage: prune-profile [rounds=3] [seconds=2] [cases=cls,minilm] [cls variants sparsity:multiple-of,…=0.3:8,0.3:16] [profile-runs=200].
/// </summary>
internal static class PruneProfile
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var cases = (args.Length > 2 ? args[2] : "cls,minilm").Split(',');
        var multiples = (args.Length > 3 ? args[3] : "0.3:8,0.3:16").Split(',').Select(static m => m.Split(':')).Where(static m => m.Length == 2).Select(static m => (Sparsity: m[0], Multiple: m[1])).ToArray();
        var profileRuns = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 200;
        var latency = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var dir = Directory.CreateTempSubdirectory("pg-prune-profile-").FullName;
        try
        {
            if (cases.Contains("cls"))
            {
                Classifier(dir, multiples, rounds, latency, profileRuns);
            }

            if (cases.Contains("minilm"))
            {
                MiniLm(dir, rounds, latency, profileRuns);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    internal static ModelFile Prune(ModelFile model, (string Key, string Value)[] options, out IReadOnlyList<string> notes)
    {
        var step = new RecipeStep("prune", options.ToDictionary(static o => o.Key, static o => o.Value, StringComparer.Ordinal), new SourceLocation("benchmark", 1, 1));
        var result = new PruneStep().Apply(model, step, new OptimizationContext(RepoPaths.Root, null));
        notes = result.Notes;
        return result.Model;
    }

    private static void Classifier(string dir, (string Sparsity, string Multiple)[] multiples, int rounds, LatencyOptions latency, int profileRuns)
    {
        var dims = new Dictionary<string, long>(StringComparer.Ordinal) { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 48, ["p2o.DynamicDimension.2"] = 192 };
        var input = new Dictionary<string, TensorData> { ["x"] = SyntheticText.TextLine(48, 192, 7) };
        var original = ModelFile.Load(RealModels.OcrClassifier);
        var a = SizeMeter.Measure(original, ModelInspector.Inspect(original, fixedDims: dims));
        var models = new List<(string Name, byte[] Bytes)> { ("original", original.ToByteArray()) };
        foreach (var (sparsity, m) in multiples)
        {
            var variant = Prune(original, [("method", "channel"), ("sparsity", sparsity), ("multiple-of", m)], out var notes);
            var path = Path.Combine(dir, $"cls-{sparsity}-{m}.onnx");
            ModelWriter.Save(variant, path);
            var saved = ModelFile.Load(path);
            var b = SizeMeter.Measure(saved, ModelInspector.Inspect(saved, fixedDims: dims));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PP-OCR cls, channel {sparsity}, multiple-of {m}: params {(double)b.ParameterCount / a.ParameterCount:0.000}×, file {(double)b.TotalBytes / a.TotalBytes:0.000}×, MACs {(double)b.Macs / a.Macs:0.000}×{(a.MacsComplete && b.MacsComplete ? "" : " (lower bound)")}"));
            foreach (var note in notes)
            {
                Console.WriteLine("    " + note);
            }

            Console.WriteLine("    widths (out channels of each Conv, graph order): " + string.Join(" ", Widths(saved)));
            models.Add(($"channel {sparsity} multiple-of {m}", saved.ToByteArray()));
        }

        Console.WriteLine("    original widths: " + string.Join(" ", Widths(original)));
        Console.WriteLine("    the graph's tail: " + string.Join("; ", original.Graph.Node.Skip(original.Graph.Node.Count - 14)
            .Select(static n => $"{n.OpType} {n.Name}({string.Join(",", n.Input)})->{string.Join(",", n.Output)}")));
        Dictionary<string, (string Op, string Part, double Ms)>? first = null;
        foreach (var (name, bytes) in models)
        {
            var nodes = PrintProfile($"PP-OCR cls {name}", bytes, input, dir, profileRuns, ClassifierPart);
            if (first is null)
            {
                first = nodes;
                continue;
            }

            // Node names survive pruning (ORT names the optimized nodes after their outputs): compare node by node.
            var total = first.Values.Sum(static n => n.Ms);
            var shared = first.Keys.Where(nodes.ContainsKey).ToList();
            var unchanged = shared.Where(k => nodes[k].Ms >= 0.9 * first[k].Ms).Sum(k => first[k].Ms);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    vs original: {shared.Count} of {first.Count} nodes by name; {unchanged / total * 100:0.0}% of the original's kernel time is in nodes that kept ≥ 0.9 of their time; " +
                $"by op, original → variant ms: {string.Join(", ", first.GroupBy(static n => n.Value.Op).OrderByDescending(static g => g.Sum(static n => n.Value.Ms)).Take(6).Select(g => $"{g.Key} {g.Sum(static n => n.Value.Ms):0.000} → {nodes.Where(n => n.Value.Op == g.Key).Sum(static n => n.Value.Ms):0.000}"))}"));
            Console.WriteLine("    the original's 10 slowest nodes, variant/original: " + string.Join("; ", first.OrderByDescending(static n => n.Value.Ms).Take(10)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key} {n.Value.Ms:0.000} ms {(nodes.TryGetValue(n.Key, out var v) ? (v.Ms / n.Value.Ms).ToString("0.00", CultureInfo.InvariantCulture) : "gone")}"))));
        }

        AB("PP-OCR cls", models, input, latency, rounds);
    }

    private static IEnumerable<string> Widths(ModelFile model)
    {
        var g = new GraphIndex(model);
        foreach (var n in model.Graph.Node.Where(static n => n.OpType == "Conv"))
        {
            var w = g.FloatWeight(n.Input[1], 4);
            var group = n.Attribute.FirstOrDefault(static at => at.Name == "group")?.I ?? 1;
            yield return w is null ? "?" : group > 1 ? $"dw{w.Dims[0]}" : $"{w.Dims[1]}>{w.Dims[0]}";
        }
    }

    private static string ClassifierPart(string node, string op) => op;

    private static void MiniLm(string dir, int rounds, LatencyOptions latency, int profileRuns)
    {
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var cookies = RealText.Cookies;
        var lengths = cookies.Take(256).Select(c => tokenizer.Encode(c, 128, out _).Length).ToArray();
        var sorted = lengths.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var medianCookie = cookies.Take(256).First(c => tokenizer.Encode(c, 128, out _).Length == median);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"all-MiniLM-L6-v2: token lengths of the first 256 cookies (with [CLS]/[SEP], ≤ 128): median {median}, p10 {sorted[25]}, p90 {sorted[230]}, max {sorted[^1]}"));
        var original = ModelFile.Load(RealEncoder.MiniLmModel);
        var variant = Prune(original, [("method", "heads"), ("sparsity", "0.34")], out var notes);
        foreach (var note in notes)
        {
            Console.WriteLine("    " + note);
        }

        var models = new List<(string Name, byte[] Bytes)> { ("original", original.ToByteArray()), ("heads 4 of 12", variant.ToByteArray()) };
        foreach (var (label, text) in new[] { ($"{median} tokens (median cookie)", medianCookie), ("128 tokens", string.Join(" ", cookies.Take(40))) })
        {
            var feed = PruneEncoder.Batch(tokenizer, [text], 128).Feed;
            foreach (var (name, bytes) in models)
            {
                var parts = PrintProfile($"MiniLM {name}, {label}", bytes, feed, dir, profileRuns, MiniLmParts(ModelFile.Load(bytes, name)));
                var total = parts.Values.Sum(static p => p.Ms);
                var heads = parts.Where(static p => p.Value.Part.StartsWith("H ", StringComparison.Ordinal)).Sum(static p => p.Value.Ms);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    parts heads pruning shrinks (H …): {heads:0.000} of {total:0.000} ms kernel time ({heads / total * 100:0.0}%); if they scaled with the head count, removing 4 of 12 would give {1 - (heads / total / 3):0.000}×"));
            }

            AB($"MiniLM, {label}", models, feed, latency, rounds);
        }
    }

    /// <summary>
    /// The part of a BERT layer each node of <paramref name="model"/> belongs to, from the pruners' own matchers: what heads
    /// pruning shrinks (Q/K/V and output projections with their bias Adds, the two attention MatMuls, Softmax, the
    /// attention's reshapes, transposes, scaling and mask), the FFN, or the rest. Keyed by node name: ORT keeps the names
    /// of the nodes it does not fuse; a fused node is placed by its op type (FusedMatMul is Q·Kᵀ with its scale, BiasGelu the FFN's).
    /// </summary>
    internal static Func<string, string, string> MiniLmParts(ModelFile model)
    {
        var g = new GraphIndex(model);
        var nodes = model.Graph.Node;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(int node, string part)
        {
            if (node >= 0 && !string.IsNullOrEmpty(nodes[node].Name))
            {
                map[nodes[node].Name] = part;
            }
        }

        foreach (var b in AttentionMatcher.Find(g, []))
        {
            var inside = b.Values.ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Count; i++)
            {
                if (nodes[i].Output.Any(inside.Contains))
                {
                    Put(i, nodes[i].OpType switch
                    {
                        "MatMul" => "H score/context MatMuls",
                        "Softmax" => "H softmax",
                        var op => $"H attention {op}",
                    });
                }
            }

            foreach (var q in new[] { b.Query, b.Key, b.Value })
            {
                Put(q.MatMul, "H Q/K/V projections MatMul");
                Put(q.BiasAdd, "H Q/K/V projections bias Add");
            }

            Put(b.Output.MatMul, "H O projection MatMul");
            Put(b.Output.BiasAdd, "H O projection bias Add");
        }

        foreach (var f in FfnBlock.Find(g, []))
        {
            Put(f.Up.MatMul, "FFN up MatMul");
            Put(f.Up.BiasAdd, "FFN up bias");
            Put(f.Down, "FFN down MatMul");
            var inside = f.Values.ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Count; i++)
            {
                if (nodes[i].Output.Any(inside.Contains) && !map.ContainsKey(nodes[i].Name))
                {
                    Put(i, $"FFN {nodes[i].OpType}");
                }
            }
        }

        return (node, op) => map.TryGetValue(node, out var part) ? part
            : op switch
            {
                "FusedMatMul" => "H score/context MatMuls (fused)",
                "BiasGelu" or "Gelu" or "FastGelu" => "FFN activation (fused)",
                "Attention" or "MultiHeadAttention" => "H fused attention",
                _ => $"other ({op})",
            };
    }

    private const int Warmup = 20;

    /// <summary>ORT's profile of <paramref name="runs"/> runs after 20 warm-ups: mean kernel time per run by part, with the node count and share; returns each node's op, part and mean ms per run.</summary>
    internal static Dictionary<string, (string Op, string Part, double Ms)> PrintProfile(string title, byte[] model, IReadOnlyDictionary<string, TensorData> input, string dir, int runs, Func<string, string, string> part)
    {
        var config = SessionConfig.Default with { ProfilingPrefix = Path.Combine(dir, "profile") };
        string file;
        using (var session = InferenceSession.Create(model, title, config))
        {
            using var run = session.Prepare(input);
            for (var i = 0; i < Warmup + runs; i++)
            {
                run.Run();
            }

            file = session.EndProfiling();
        }

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var parts = new Dictionary<string, (double Us, HashSet<string> Nodes)>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, (string Op, string Part, double Us)>(StringComparer.Ordinal);
        var modelRuns = 0;
        var runUs = 0.0;
        foreach (var e in json.RootElement.EnumerateArray())
        {
            var name = e.GetProperty("name").GetString() ?? "";
            var cat = e.GetProperty("cat").GetString();
            if (cat == "Session" && name == "model_run")
            {
                modelRuns++;
                if (modelRuns > Warmup)
                {
                    runUs += e.GetProperty("dur").GetDouble();
                }
            }

            if (cat != "Node" || !name.EndsWith("_kernel_time", StringComparison.Ordinal) || modelRuns < Warmup)
            {
                continue;
            }

            var node = name[..^"_kernel_time".Length];
            var op = e.GetProperty("args").GetProperty("op_name").GetString() ?? "?";
            var us = e.GetProperty("dur").GetDouble();
            var key = part(node, op);
            var p = parts.GetValueOrDefault(key, (0, new HashSet<string>(StringComparer.Ordinal)));
            p.Nodes ??= new HashSet<string>(StringComparer.Ordinal);
            p.Nodes.Add(node);
            parts[key] = (p.Us + us, p.Nodes);
            var n = nodes.GetValueOrDefault(node, (op, key, 0));
            nodes[node] = (op, key, n.Us + us);
        }

        File.Delete(file);
        // A run's node events come before its model_run event; those of the warm-up runs (and of Prepare's) are skipped.
        var perRun = Math.Max(modelRuns - Warmup, 1);
        var total = parts.Values.Sum(static p => p.Us) / perRun;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile {title}: {perRun} runs after {Warmup} warm-ups, model_run {runUs / perRun / 1000:0.000} ms per run (profiled), kernel time {total / 1000:0.000} ms per run, {nodes.Count} nodes"));
        foreach (var (key, (us, set)) in parts.OrderByDescending(static p => p.Value.Us))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {key,-52} {us / perRun / 1000,8:0.000} ms {us / perRun / total * 100,5:0.0}%  ({set.Count} nodes)"));
        }

        Console.WriteLine("    top nodes: " + string.Join("; ", nodes.OrderByDescending(static n => n.Value.Us).Take(12)
            .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key} [{n.Value.Op}] {n.Value.Us / perRun / 1000:0.000}"))));
        return nodes.ToDictionary(static n => n.Key, n => (n.Value.Op, n.Value.Part, n.Value.Us / perRun / 1000), StringComparer.Ordinal);
    }

    /// <summary>Every variant against the first model, A/B interleaved by the gate's engine, variants taken in turn within each round.</summary>
    internal static void AB(string title, List<(string Name, byte[] Bytes)> models, IReadOnlyDictionary<string, TensorData> input, LatencyOptions latency, int rounds)
    {
        var sessions = models.Select(m => InferenceSession.Create(m.Bytes, m.Name)).ToList();
        var runs = sessions.Select(s => s.Prepare(input)).ToList();
        try
        {
            var results = models.Skip(1).Select(static _ => new LatencyRounds()).ToArray();
            for (var r = 0; r < rounds; r++)
            {
                for (var v = 1; v < models.Count; v++)
                {
                    results[v - 1].Add(runs[0], runs[v], latency);
                }
            }

            for (var v = 1; v < models.Count; v++)
            {
                Console.WriteLine($"{title} | {models[v].Name} vs {models[0].Name} | {results[v - 1].Summary()}");
            }
        }
        finally
        {
            runs.ForEach(static r => r.Dispose());
            sessions.ForEach(static s => s.Dispose());
        }
    }
}
