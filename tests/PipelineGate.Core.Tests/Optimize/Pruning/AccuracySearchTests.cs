using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.Tests.Gate.Config;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>
/// The accuracy-aware search of prune and factorize (max-drop): from pipelinegate.yml with the model's own eval
/// data, the result is within budget when measured again independently; a budget no layer can meet is PG2043
/// and gives no model; a loose budget changes nothing; no data is PG1021.
/// </summary>
public sealed class AccuracySearchTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Config_steps_with_max_drop_search_on_the_models_eval_data_and_stay_within_the_budget_measured_again()
    {
        File.Copy(RepoPaths.Of("samples/digits/digits_mlp.onnx"), Path.Combine(_dir.Root, "digits.onnx"));
        Directory.CreateDirectory(Path.Combine(_dir.Root, "digits-eval"));
        foreach (var f in new[] { "pixels.npy", "labels.npy" })
        {
            File.Copy(RepoPaths.Of("samples/digits/eval/" + f), Path.Combine(_dir.Root, "digits-eval", f));
        }

        var model = _dir.Load("""
            version: 1
            models:
              - path: digits.onnx
                data: { path: digits-eval, labels: labels }
                variants:
                  - name: pruned
                    steps: [ { prune: { method: channel, sparsity: 50%, max-drop: 1 pp } } ]
                  - name: lowrank
                    steps: [ { factorize: { rank: 2, max-drop: 0.01 } } ]
            """).Models[0];
        Assert.All(model.Variants.Skip(1), static v => Assert.True(v.Steps[0].Options.ContainsKey("max-drop")));

        // The search sees the first 256 samples; the check below measures those same samples in its own way.
        var checkData = model.Data! with { Limit = 256 };
        var reference = ModelEvaluator.Evaluate(model.Path, checkData, "top1", SessionConfig.Default);
        foreach (var variant in model.Variants.Skip(1))
        {
            var (path, notes) = VariantBuilder.Build(model.Path, variant, Path.Combine(_dir.Root, "cache"), new OptimizationContext(_dir.Root, model.Data), "test");

            Assert.Contains(notes, static n => n.Contains("accuracy-aware search (max-drop 0.01, top-1 accuracy drop vs the original on 256 sample(s)", StringComparison.Ordinal));
            var built = ModelFile.Load(path);
            var search = JsonDocument.Parse(built.Model.MetadataProps.Single(static p => p.Key == "pipelinegate.search").Value).RootElement;
            var accuracy = ModelEvaluator.Evaluate(path, checkData, "top1", SessionConfig.Default).Value;
            Assert.True(reference.Value - accuracy <= 0.01 + 1e-12, $"{variant.Name}: top-1 {reference.Value} → {accuracy}");
            Assert.Equal(reference.Value - accuracy, search.GetProperty("drop").GetDouble(), 9);
            Assert.NotEmpty(search.GetProperty("layers").EnumerateObject());
        }
    }

    [Fact]
    public void A_budget_no_layer_can_meet_is_PG2043_and_no_model()
    {
        // The first output is a feature map [1, 8, 8, 8], so the drop is 1 − mean cosine: any removed channel moves it above 0.
        // (The classifier tail is removed with its output: its neurons would change nothing and fit any budget.)
        var file = Cnn(transposeTail: true);
        file.Graph.Output.RemoveAt(0);
        foreach (var tail in file.Graph.Node.Where(static n => n.Name is "gap" or "flat" or "fc").ToList())
        {
            file.Graph.Node.Remove(tail);
        }

        GraphConstants.RemoveUnused(file.Graph);
        var model = ModelFile.Load(file.ToByteArray(), "cnn-map.onnx");
        var data = Path.Combine(_dir.Root, "x.npy");
        NpyFile.Write(data, TensorData.Create(Enumerable.Range(0, 8).SelectMany(static s => CnnInput(s).ToFloatArray()).ToArray(), 8, 3, 8, 8));
        var context = new OptimizationContext(_dir.Root, new DataConfig(data, data, null, new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1)));

        var e = Assert.Throws<PipelineGateException>(() => new PruneStep().Apply(model, Step("prune", ("method", "channel"), ("sparsity", "0.5"), ("multiple-of", "1"), ("max-drop", "0")), context));

        Assert.Equal(PgCode.SearchBudgetUnreachable, e.Code);
        Assert.Contains("1 − mean cosine similarity", e.Message, StringComparison.Ordinal);
        Assert.Contains("no model was written", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loose_budget_prunes_every_layer_as_requested_and_no_data_is_PG1021()
    {
        var model = ModelFile.Load(RepoPaths.Of("samples/digits/digits_mlp.onnx"));
        var eval = RepoPaths.Of("samples/digits/eval");
        var context = new OptimizationContext(".", new DataConfig(eval, eval, "labels", new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1)));
        var options = new[] { ("method", "magnitude"), ("sparsity", "0.5"), ("skip-first-last", "false") };

        var plain = Prune(model, options);
        var searched = new PruneStep().Apply(model, Step("prune", [.. options, ("max-drop", "1.0")]), context);
        var noData = Assert.Throws<PipelineGateException>(() => new PruneStep().Apply(model, Step("prune", [.. options, ("max-drop", "1pp")]), new OptimizationContext(".", null)));

        Assert.Contains(searched.Notes, static n => n.Contains("within budget, every layer kept at it", StringComparison.Ordinal));
        Assert.Equal(Weights(plain.Model), Weights(searched.Model));
        Assert.Equal(PgCode.SearchNeedsData, noData.Code);
    }

    private static float[] Weights(ModelFile model) =>
        [.. model.Graph.Initializer.OrderBy(static t => t.Name, StringComparer.Ordinal).SelectMany(t => WeightTensors.Read(t, model))];
}
