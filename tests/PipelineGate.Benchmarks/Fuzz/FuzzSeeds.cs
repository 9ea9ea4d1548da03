using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks.Fuzz;

/// <summary>One seed model: its bytes, where it came from, and whether mutants of it go through <c>check</c>.</summary>
public sealed record FuzzSeed(string Name, byte[] Bytes, bool Check = true);

/// <summary>
/// The ONNX seeds: the bundled sample, small hand-built graphs, every ONNX backend test model (libonnx-testdata,
/// all suites) up to <see cref="MaxSeedBytes"/>, and the pinned registry models (RealModels).
/// </summary>
public static class FuzzSeeds
{
    /// <summary>Backend test models above this size are left out: mutants of them cost more than they find.</summary>
    public const int MaxSeedBytes = 256 * 1024;

    public static IReadOnlyList<FuzzSeed> Small()
    {
        var seeds = new List<FuzzSeed>
        {
            new("samples/digits_mlp", File.ReadAllBytes(Path.Combine(RepoPaths.Root, "samples", "digits", "digits_mlp.onnx"))),
            new("tiny/add_bias", TinyModels.AddBias(8, 0.5f)),
            new("tiny/matmul_chain", TinyModels.MatMulChain(8, 4)),
            new("tiny/identity", TinyModels.Identity(TensorElementType.Float, "batch", "3")),
            // Runs until stopped by design (the watchdog's test model): load/validate/inspect only, never check in-process.
            new("hostile/endless_loop", HostileModels.EndlessLoop(), Check: false),
        };
        foreach (var suite in new[] { "node", "simple", "pytorch-converted", "pytorch-operator" })
        {
            foreach (var dir in OnnxTestData.Cases(suite))
            {
                var file = Path.Combine(dir, "model.onnx");
                if (new FileInfo(file).Length <= MaxSeedBytes)
                {
                    seeds.Add(new FuzzSeed($"{suite}/{Path.GetFileName(dir)}", File.ReadAllBytes(file)));
                }
            }
        }

        return seeds;
    }

    /// <summary>The pinned real models (a few MB each): a share of the mutants, not one per seed round.</summary>
    public static IReadOnlyList<FuzzSeed> Real() =>
    [
        new("registry/ocr_classifier", File.ReadAllBytes(RealModels.OcrClassifier)),
        new("registry/silero_vad", File.ReadAllBytes(RealModels.SileroVad)),
        new("registry/ocr_detector", File.ReadAllBytes(RealModels.OcrDetector)),
        new("registry/ocr_recognizer", File.ReadAllBytes(RealModels.OcrRecognizer)),
    ];
}
