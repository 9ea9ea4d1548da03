using PipelineGate.Gate.Config;
using PipelineGate.Optimize;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.Tests.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// The variant cache keys the data a step reads, by content: a static quantize step's calibration set and the eval
/// data a max-drop search measures on. Changing those bytes under the same name builds the variant again (before,
/// the recipe text keyed only the path, and the old variant came back); a step that reads no data keeps its cached
/// variant when the eval data changes.
/// </summary>
public sealed class VariantCacheDataTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public VariantCacheDataTests()
    {
        File.Copy(RepoPaths.Of("samples/digits/digits_mlp.onnx"), Path.Combine(_dir.Root, "digits.onnx"));
        foreach (var (folder, files) in new[] { ("calibration", new[] { "pixels.npy" }), ("eval", new[] { "pixels.npy", "labels.npy" }) })
        {
            Directory.CreateDirectory(Path.Combine(_dir.Root, folder));
            foreach (var f in files)
            {
                File.Copy(RepoPaths.Of($"samples/digits/{folder}/{f}"), Path.Combine(_dir.Root, folder, f));
            }
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_calibration_set_under_the_same_name_builds_the_static_variant_again()
    {
        var model = Load();
        var variant = model.Variants.Single(static v => v.Name == "static");
        var first = Build(model, variant);
        Assert.Equal(first.Path, Build(model, variant).Path); // unchanged data: the cache answers
        var firstBytes = File.ReadAllBytes(first.Path);

        // Half the pixel values: every activation range halves, so the quantization scales in the model change.
        Rewrite(Path.Combine(_dir.Root, "calibration", "pixels.npy"), static v => v * 0.5f);
        var second = Build(model, variant);

        Assert.NotEqual(first.Path, second.Path);
        Assert.NotEqual(firstBytes, File.ReadAllBytes(second.Path));
    }

    [Fact]
    public void New_eval_data_builds_a_searched_variant_again_and_leaves_one_that_reads_no_data_cached()
    {
        var model = Load();
        var searched = model.Variants.Single(static v => v.Name == "searched");
        var dynamic = model.Variants.Single(static v => v.Name == "dynamic");
        var searchedFirst = Build(model, searched).Path;
        var dynamicFirst = Build(model, dynamic).Path;

        Rewrite(Path.Combine(_dir.Root, "eval", "pixels.npy"), static v => 1 - v);

        Assert.NotEqual(searchedFirst, Build(model, searched).Path);
        Assert.Equal(dynamicFirst, Build(model, dynamic).Path);
    }

    private ModelConfig Load() => _dir.Load("""
        version: 1
        models:
          - path: digits.onnx
            data: { path: eval, labels: labels }
            variants:
              - name: static
                steps: [ { quantize: { mode: static, calibration: calibration } } ]
              - name: searched
                steps: [ { prune: { method: magnitude, sparsity: 50%, max-drop: 1 pp } } ]
              - name: dynamic
                steps: [ { quantize: { mode: dynamic } } ]
        """).Models[0];

    private (string Path, IReadOnlyList<string> Notes) Build(ModelConfig model, VariantConfig variant) =>
        VariantBuilder.Build(model.Path, variant, Path.Combine(_dir.Root, "cache"), new OptimizationContext(_dir.Root, model.Data), "test");

    private static void Rewrite(string npy, Func<float, float> change)
    {
        var tensor = NpyFile.Read(npy);
        var values = tensor.ToFloatArray().Select(change).ToArray();
        NpyFile.Write(npy, TensorData.Create(values, tensor.ShapeArray()));
    }
}
