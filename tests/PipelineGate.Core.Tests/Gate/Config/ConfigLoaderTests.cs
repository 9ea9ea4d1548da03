using PipelineGate.Gate.Config;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>Valid configs load into the typed values the rest of the gate reads.</summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_smallest_config_gets_the_defaults()
    {
        var config = _dir.Load("version: 1\nmodels:\n  - path: m.onnx\n");
        var model = Assert.Single(config.Models);
        Assert.Equal(("m", "m.onnx", Path.Combine(_dir.Root, "m.onnx")), (model.Name, model.RelativePath, model.Path));
        Assert.Equal("top1", model.Metric);
        Assert.Null(model.Data);
        Assert.Equal(MeasureConfig.Default, model.Measure);
        Assert.Empty(model.Budgets);
        Assert.Empty(config.Profiles);
        var cpu = Assert.Single(model.Targets);
        Assert.Equal(("cpu", ExecutionProvider.Cpu, 1, true), (cpu.Name, cpu.Provider, cpu.Threads, cpu.Required));
        var original = Assert.Single(model.Variants);
        Assert.Equal((VariantConfig.OriginalName, true), (original.Name, original.IsOriginal));
        Assert.Equal(new SourceLocation(_dir.ConfigPath, 3, 5), model.Location);
    }

    [Fact]
    public void Reads_targets_in_both_forms()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                targets:
                  - cpu
                  - name: cuda
                    threads: 0
                    options: { device_id: 0, arena_extend_strategy: kSameAsRequested }
                  - { name: tensorrt, required: true }
            """;
        var targets = _dir.Load(yaml).Models[0].Targets;
        Assert.Equal(["cpu", "cuda", "tensorrt"], targets.Select(t => t.Name));
        Assert.Equal([ExecutionProvider.Cpu, ExecutionProvider.Cuda, ExecutionProvider.TensorRT], targets.Select(t => t.Provider));
        Assert.Equal([true, false, true], targets.Select(t => t.Required));
        Assert.Equal([1, 0, 1], targets.Select(t => t.Threads));
        Assert.Equal("0", targets[1].ProviderOptions["device_id"]);
        Assert.Equal("kSameAsRequested", targets[1].ProviderOptions["arena_extend_strategy"]);
        Assert.Equal((6, 9), (targets[1].Location.Line, targets[1].Location.Column));
    }

    [Fact]
    public void Trt_names_the_tensorrt_target_in_targets_and_budgets()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                targets: [cpu, trt]
                budgets:
                  - { metric: latency.p50, max: 5 ms, target: trt }
            """;
        var model = _dir.Load(yaml).Models[0];
        Assert.Equal(["cpu", "tensorrt"], model.Targets.Select(t => t.Name));
        Assert.Equal([ExecutionProvider.Cpu, ExecutionProvider.TensorRT], model.Targets.Select(t => t.Provider));
        Assert.False(model.Targets[1].Required);
        Assert.Equal("tensorrt", Assert.Single(model.Budgets).Target);
    }

    [Fact]
    public void Reads_variants_and_steps_in_order()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                variants:
                  - name: int8
                    steps:
                      - quantize: { mode: dynamic, per-channel: true }
                  - name: pruned-int8
                    steps:
                      - prune: { sparsity: 50% }
                      - quantize: { mode: static, calibration: calib }
                  - name: half
                    steps: [ { quantize: { mode: fp16 } } ]
            """;
        var variants = _dir.Load(yaml).Models[0].Variants;
        Assert.Equal(["original", "int8", "pruned-int8", "half"], variants.Select(v => v.Name));
        Assert.Equal("quantize(mode=dynamic, per-channel=true)", variants[1].Steps[0].ToString());
        Assert.Equal(["prune", "quantize"], variants[2].Steps.Select(s => s.Kind));
        Assert.Equal("50%", variants[2].Steps[0].Options["sparsity"]);
        Assert.Equal(Path.Combine(_dir.Root, "calib"), variants[2].Steps[1].Options["calibration"]);
        Assert.Equal((5, 9), (variants[1].Location.Line, variants[1].Location.Column));
        Assert.Equal((10, 13), (variants[2].Steps[0].Location.Line, variants[2].Steps[0].Location.Column));
    }

    [Fact]
    public void Reads_every_quantize_option()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                variants:
                  - name: s
                    steps:
                      - quantize: { mode: static, per-channel: false, activation-type: int8, symmetric-activations: true, calibration: calib, method: percentile, exclude-op: [Gemm, Conv], exclude-node: "fc1/MatMul fc2/MatMul", max-drop: 0.5 pp, max-drop-metric: fidelity.cosine-min, fallback: uint16, rerank: 2 }
                  - name: i4
                    steps: [ { quantize: { mode: int4, block-size: 128 } } ]
                  - name: d
                    steps: [ { quantize: { weight-type: int8, reduce-range: true } } ]
            """;
        var variants = _dir.Load(yaml).Models[0].Variants;
        var s = variants[1].Steps[0].Options;
        Assert.Equal("static", s["mode"]);
        Assert.Equal("false", s["per-channel"]);
        Assert.Equal(Path.Combine(_dir.Root, "calib"), s["calibration"]);
        Assert.Equal("percentile", s["method"]);
        Assert.Equal("int8", s["activation-type"]);
        Assert.Equal("true", s["symmetric-activations"]);
        Assert.Equal("Gemm, Conv", s["exclude-op"]);
        Assert.Equal("fc1/MatMul fc2/MatMul", s["exclude-node"]);
        Assert.Equal("0.5 pp", s["max-drop"]);
        Assert.Equal("fidelity.cosine-min", s["max-drop-metric"]);
        Assert.Equal("uint16", s["fallback"]);
        Assert.Equal("2", s["rerank"]);
        Assert.Equal("quantize(block-size=128, mode=int4)", variants[2].Steps[0].ToString());
        Assert.Equal("quantize(reduce-range=true, weight-type=int8)", variants[3].Steps[0].ToString());
    }

    [Fact]
    public void Static_quantization_may_leave_calibration_to_the_command_line()
    {
        var step = _dir.Load("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: s, steps: [ { quantize: { mode: static } } ] } ]\n").Models[0].Variants[1].Steps[0];
        Assert.False(step.Options.ContainsKey("calibration"));
    }

    [Fact]
    public void Reads_data_with_inputs_and_limit()
    {
        var data = _dir.Load("version: 1\nmodels:\n  - path: m.onnx\n    data: { path: ./data.npy, labels: y, inputs: { input: x }, limit: 100 }\n").Models[0].Data!;
        Assert.Equal((Path.Combine(_dir.Root, "data.npy"), "data.npy", "y", 100), (data.Path, data.RelativePath, data.Labels, data.Limit));
        Assert.Equal("x", data.Inputs["input"]);
    }

    [Fact]
    public void Relative_paths_are_normalized_with_forward_slashes()
    {
        _dir.Touch("nested/deep/n.onnx");
        var model = _dir.Load("version: 1\nmodels:\n  - path: nested\\deep\\..\\deep\\n.onnx\n").Models[0];
        Assert.Equal("nested/deep/n.onnx", model.RelativePath);
        Assert.Equal(Path.Combine(_dir.Root, "nested", "deep", "n.onnx"), model.Path);
    }

    [Fact]
    public void Reads_every_kind_of_budget()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                data: { path: eval }
                metric: mae
                targets: [cpu, cuda]
                variants: [ { name: int8, steps: [ { quantize: } ] } ]
                budgets:
                  - { metric: latency.p99, max: 2500 us, target: cuda }
                  - { metric: throughput, min: 1500/s }
                  - { metric: peak-memory, max: 64 MiB }
                  - { metric: compressed-size, max-regression: 4 KiB }
                  - { metric: macs, max: 1.2M }
                  - { metric: accuracy, max: 0.25 }
                  - { metric: rmse, variant: int8, max-drop: 2 pp }
                  - { metric: top5, max-regression: 0.5 pp, severity: warning }
                  - { metric: fidelity.top1-agreement, variant: int8, min: 99% }
                  - { metric: session-create, max-regression: 0 }
            """;
        var b = _dir.Load(yaml).Models[0].Budgets;
        Assert.Equal(10, b.Count);
        Assert.Equal((2.5, "cuda"), (b[0].Max!.Value.Value, b[0].Target));
        Assert.Equal(UnitDimension.Rate, b[1].Min!.Value.Dimension);
        Assert.Equal(1500, b[1].Min!.Value.Value, 1e-9);
        Assert.Equal(64 * 1024 * 1024, b[2].Max!.Value.Value);
        Assert.Equal((4096.0, UnitDimension.Bytes), (b[3].MaxRegression!.Value.Value, b[3].MaxRegression!.Value.Dimension));
        Assert.Equal(1_200_000, b[4].Max!.Value.Value, 1e-6);
        Assert.Equal(0.25, b[5].Max!.Value.Value);
        Assert.Equal(0.02, b[6].MaxDrop!.Value.Value, 1e-12);
        Assert.Equal((0.005, UnitDimension.PercentagePoints, true), (b[7].MaxRegression!.Value.Value, b[7].MaxRegression!.Value.Dimension, b[7].WarningOnly));
        Assert.Equal(0.99, b[8].Min!.Value.Value, 1e-12);
        Assert.Equal((0.0, UnitDimension.Relative), (b[9].MaxRegression!.Value.Value, b[9].MaxRegression!.Value.Dimension));
        Assert.Equal(new SourceLocation(_dir.ConfigPath, 9, 9), b[0].Location);
    }

    [Fact]
    public void Quoted_and_plain_scalars_read_the_same()
    {
        var config = _dir.Load("version: \"1\"\nmeasure: { min-samples: '10', duration: \"2 s\" }\nmodels:\n  - path: 'm.onnx'\n");
        Assert.Equal((10, TimeSpan.FromSeconds(2)), (config.Models[0].Measure.MinSamples, config.Models[0].Measure.Duration));
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        const string yaml = """
            version: 1
            models:
              - path: m.onnx
                budgets: &common
                  - { metric: file-size, max: 1 MB }
              - path: other.onnx
                budgets: *common
            """;
        var config = _dir.Load(yaml);
        Assert.Equal(1_000_000, config.Models[1].Budgets[0].Max!.Value.Value);
    }
}
