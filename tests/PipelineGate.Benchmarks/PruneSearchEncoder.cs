using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The accuracy-aware search for structured pruning on all-MiniLM-L6-v2 (post-training, no fine-tuning): heads 0.34
/// and ffn 0.3, each unsearched (every block) and with max-drop (default 0.05 and 0.02; the drop is 1 − mean cosine of
/// last_hidden_state, the default for a model without class scores) searched on the first 32 fortune cookies as text.
/// Per variant: the search's time, chosen per-block ratios and measured drop; parameters and MACs (sequence 128);
/// fidelity on 128 HELD-OUT cookies (the next 128; masked-mean sentence embeddings, cosine to fp32, mean and min)
/// and, for comparison, on the 32 search cookies; CPU latency against the original A/B interleaved in one process
/// with the gate's engine (one real text of 128 tokens, batch 1), repeated for the spread.
/// Usage: prune-search-encoder [rounds=3] [seconds=2] [budgets=0.05,0.02].
/// </summary>
internal static class PruneSearchEncoder
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var budgets = (args.Length > 2 ? args[2] : "0.05,0.02").Split(',');
        var latency = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = 60 };
        var tokenizer = new TextTokenizer(WordPieceVocabulary.Load(RealEncoder.MiniLmVocab));
        var cookies = RealText.Cookies;
        var long128 = PruneEncoder.Batch(tokenizer, [string.Join(" ", cookies.Take(40))], 128);
        var search = cookies.Take(32).ToArray();
        var heldOut = cookies.Skip(32).Take(128).ToArray();
        var searchBatches = search.Chunk(16).Select(c => PruneEncoder.Batch(tokenizer, c, 128)).ToArray();
        var heldOutBatches = heldOut.Chunk(16).Select(c => PruneEncoder.Batch(tokenizer, c, 128)).ToArray();
        var original = ModelFile.Load(RealEncoder.MiniLmModel);
        var originalBytes = original.ToByteArray();
        var referenceHeldOut = PruneEncoder.Embeddings(originalBytes, heldOutBatches);
        var referenceSearch = PruneEncoder.Embeddings(originalBytes, searchBatches);

        var dir = Directory.CreateTempSubdirectory("pg-prune-search-").FullName;
        try
        {
            var text = Path.Combine(dir, "search-cookies.txt");
            File.WriteAllLines(text, search);
            var data = new DataConfig(text, "search-cookies.txt", null, new Dictionary<string, string>(), null, new SourceLocation("benchmark", 1, 1)) { Tokenizer = RealEncoder.MiniLmVocab, MaxLength = 128 };
            Console.WriteLine($"all-MiniLM-L6-v2, {Environment.ProcessorCount} logical CPUs, ONNX Runtime CPU; search data: cookies 0-31 as text (max 128 tokens); held-out: cookies 32-159; latency input 1 × 128 tokens; {rounds} rounds of ≥ {seconds} s.");
            foreach (var (method, sparsity) in new[] { ("heads", "0.34"), ("ffn", "0.3") })
            {
                foreach (var budget in new string?[] { null }.Concat(budgets))
                {
                    var options = new List<(string, string)> { ("method", method), ("sparsity", sparsity) };
                    if (budget is not null)
                    {
                        options.Add(("max-drop", budget));
                    }

                    var step = new RecipeStep("prune", options.ToDictionary(static o => o.Item1, static o => o.Item2, StringComparer.Ordinal), new SourceLocation("benchmark", 1, 1));
                    var clock = Stopwatch.StartNew();
                    OptimizationOutput result;
                    try
                    {
                        result = new PruneStep().Apply(original, step, new OptimizationContext(dir, budget is null ? null : data));
                    }
                    catch (Diagnostics.PipelineGateException e)
                    {
                        Console.WriteLine($"{method} {sparsity} max-drop {budget}: {e.Code}: {e.Message}");
                        continue;
                    }

                    var built = clock.Elapsed;
                    var variant = result.Model;
                    var variantBytes = variant.ToByteArray();
                    var held = PruneEncoder.Embeddings(variantBytes, heldOutBatches).Zip(referenceHeldOut, EmbeddingCosine.Of).ToArray();
                    var seen = PruneEncoder.Embeddings(variantBytes, searchBatches).Zip(referenceSearch, EmbeddingCosine.Of).ToArray();
                    var chosen = "every block";
                    var measured = "";
                    if (variant.Model.MetadataProps.FirstOrDefault(static p => p.Key == "pipelinegate.search") is { } meta)
                    {
                        var root = JsonDocument.Parse(meta.Value).RootElement;
                        var layers = root.GetProperty("layers").EnumerateObject().ToDictionary(static l => l.Name, static l => l.Value.GetDouble(), StringComparer.Ordinal);
                        var blocks = method == "heads" ? HeadPruner.Blocks(original) : FfnPruner.Blocks(original);
                        chosen = string.Join(", ", blocks.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Label.Split('\'')[1]} {layers.GetValueOrDefault(b.Label):0.###}")));
                        measured = string.Create(CultureInfo.InvariantCulture, $" | search drop {root.GetProperty("drop").GetDouble():0.00000} ({root.GetProperty("modelsEvaluated").GetInt32()} models)");
                    }

                    using var a = InferenceSession.Create(originalBytes, "fp32");
                    using var b = InferenceSession.Create(variantBytes, "pruned");
                    using var runA = a.Prepare(long128.Feed);
                    using var runB = b.Prepare(long128.Feed);
                    var timed = LatencyRounds.Run(runA, runB, latency, rounds);
                    var (pa, pb) = (ChannelPruner.Parameters(original), ChannelPruner.Parameters(variant));
                    var (ma, mb) = (PruneEncoder.Macs(original, 128), PruneEncoder.Macs(variant, 128));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{method} {sparsity}{(budget is null ? "" : $", max-drop {budget}")} | built in {built.TotalSeconds:0.0} s{measured} | ratios {chosen} | " +
                        $"params {pa:N0} → {pb:N0} ({(double)pb / pa:0.000}×) | MACs {(double)mb / ma:0.000}× | {timed.Summary()} | " +
                        $"held-out cosine mean {held.Average():0.0000} min {held.Min():0.0000} | search-set cosine mean {seen.Average():0.0000} min {seen.Min():0.0000}"));
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }
}
