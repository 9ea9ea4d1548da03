using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// What ONNX Runtime's own session optimizer (level All, CPU) fuses in all-MiniLM-L6-v2, read from the optimized
/// graph it writes (SessionOptions.OptimizedModelFilePath) rather than assumed; docs/performance.md records it.
/// </summary>
public sealed class OrtFusionOnEncoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-fusion-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_session_optimizer_fuses_the_float_encoder_and_the_dynamic_int8_one()
    {
        var float32 = Optimized(RealEncoder.MiniLmModel, "fp32");
        var int8Path = Path.Combine(_dir, "int8.onnx");
        ModelWriter.Save(Quantize(ModelFile.Load(RealEncoder.MiniLmModel), ("mode", "dynamic")).Model, int8Path);
        var int8 = Optimized(int8Path, "int8");
        output.WriteLine("fp32: " + string.Join(", ", float32.OrderBy(static kv => kv.Key, StringComparer.Ordinal).Select(static kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine("int8: " + string.Join(", ", int8.OrderBy(static kv => kv.Key, StringComparer.Ordinal).Select(static kv => $"{kv.Key} {kv.Value}")));

        Assert.True(float32.Values.Sum() < ModelFile.Load(RealEncoder.MiniLmModel).Model.Graph.Node.Count, "the optimizer fused nothing");
        // Measured (ORT 1.31.1): Gelu + bias → BiasGelu and the scaled Q·Kᵀ → FusedMatMul in each of the 6 layers,
        // the pooler's Gemm + Tanh → FusedGemm; no Attention, SkipLayerNormalization or EmbedLayerNormalization, so
        // QAttention has nothing to apply to and the attention products stay float MatMuls.
        Assert.Equal(6, float32.GetValueOrDefault("com.microsoft:BiasGelu"));
        Assert.Equal(6, float32.GetValueOrDefault("com.microsoft:FusedMatMul"));
        Assert.Equal(0, float32.GetValueOrDefault("com.microsoft:Attention"));
        Assert.Equal(0, float32.GetValueOrDefault("com.microsoft:EmbedLayerNormalization"));

        // The int8 graph keeps its 37 DynamicQuantizeMatMul and the 2 embedding DequantizeLinear as written.
        Assert.Equal(37, int8.GetValueOrDefault("com.microsoft:DynamicQuantizeMatMul"));
        Assert.Equal(2, int8.GetValueOrDefault("DequantizeLinear"));
        Assert.Equal(6, int8.GetValueOrDefault("com.microsoft:BiasGelu"));
    }

    private Dictionary<string, int> Optimized(string model, string name)
    {
        var path = Path.Combine(_dir, name + "-optimized.onnx");
        using (InferenceSession.Create(model, SessionConfig.Default with { OptimizedModelPath = path }))
        {
        }

        return ModelFile.Load(path).Model.Graph.Node
            .GroupBy(static n => (string.IsNullOrEmpty(n.Domain) ? "" : n.Domain + ":") + n.OpType)
            .ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);
    }
}
