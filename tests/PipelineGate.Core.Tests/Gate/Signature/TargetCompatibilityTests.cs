using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Gate.Signature;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using PipelineGate.Tests.Gate.Runner;
using Xunit;

namespace PipelineGate.Tests.Gate.Signature;

/// <summary>The target checks of the signature gate: what the pinned ONNX Runtime and a declared GPU provider support.</summary>
public sealed class TargetCompatibilityTests : IDisposable
{
    private readonly SampleWorkspace _w = new();

    public void Dispose() => _w.Dispose();

    private static OrtKernelTable Table => OrtKernelTable.For(OrtEnvironment.Version) ?? throw new InvalidOperationException($"no kernel table for ONNX Runtime {OrtEnvironment.Version}");

    private static byte[] OneNode(string op, string domain = "", long opset = 17, long ir = 8, long? domainOpset = null)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, "2", "3"));
        graph.Output.Add(TinyModels.Value("y", TensorElementType.Float, "2", "3"));
        var node = TinyModels.Node(op, ["x"], ["y"]);
        node.Domain = domain;
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = ir, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        if (domain.Length > 0)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = domainOpset ?? 1 });
        }

        return model.ToByteArray();
    }

    private bool Loads(byte[] model)
    {
        try
        {
            using var s = InferenceSession.Create(model, "probe.onnx");
            return true;
        }
        catch (PipelineGateException)
        {
            return false;
        }
    }

    [Fact]
    public void The_committed_limits_are_exactly_what_the_pinned_runtime_loads()
    {
        var t = Table;
        var max = t.MaxOpset[""];
        Assert.True(Loads(OneNode("Identity", opset: max)), $"opset {max} should load");
        Assert.False(Loads(OneNode("Identity", opset: max + 1)), $"opset {max + 1} should not load");
        Assert.True(Loads(OneNode("Identity", ir: t.MaxIrVersion)));
        Assert.False(Loads(OneNode("Identity", ir: t.MaxIrVersion + 1)));
        var ms = t.MaxOpset["com.microsoft"];
        Assert.True(Loads(OneNode("Gelu", "com.microsoft", domainOpset: ms)));
        Assert.False(Loads(OneNode("Gelu", "com.microsoft", domainOpset: ms + 1)));
    }

    private void Gate(byte[] model, string targets = "[cpu]", string variants = "")
    {
        File.WriteAllBytes(Path.Combine(_w.Root, "model.onnx"), model);
        File.WriteAllText(_w.ConfigPath, "version: 1\n" + SampleWorkspace.FastMeasure + "\nmodels:\n  - path: model.onnx\n    name: m\n    targets: " + targets + "\n"
            + variants + "    budgets:\n      - { metric: file-size, max: 1 MB }\n");
    }

    [Fact]
    public void An_opset_above_the_runtime_fails_and_the_model_is_not_measured()
    {
        Gate(OneNode("Identity", opset: Table.MaxOpset[""] + 1));

        var r = _w.Run();

        var fail = Assert.Single(r.Checks, static c => c.Metric == "runtime-support");
        Assert.Equal(PgCode.OpsetAboveRuntime, fail.Code);
        Assert.Equal(CheckOutcome.Fail, fail.Outcome);
        Assert.Contains($"ai.onnx opset {Table.MaxOpset[""] + 1}", fail.Message, StringComparison.Ordinal);
        Assert.Empty(r.Models[0].Variants);
        Assert.NotNull(r.Models[0].Signature);
        _ = PipelineGate.Report.ConsoleReport.Render(r, new PipelineGate.Report.ReportOptions());
        _ = PipelineGate.Report.MarkdownReport.Render(r, new PipelineGate.Report.ReportOptions());
    }

    [Fact]
    public void An_ir_version_above_the_runtime_fails()
    {
        Gate(OneNode("Identity", ir: Table.MaxIrVersion + 1));

        var r = _w.Run();

        Assert.Equal(PgCode.IrVersionAboveRuntime, Assert.Single(r.Checks, static c => c.Metric == "runtime-support").Code);
    }

    [Fact]
    public void A_custom_domain_fails_naming_the_library_it_needs()
    {
        Gate(OneNode("StringRegexReplace", "ai.onnx.contrib"));

        var r = _w.Run();

        var fail = Assert.Single(r.Checks, static c => c.Metric == "runtime-support");
        Assert.Equal(PgCode.CustomDomainNeedsLibrary, fail.Code);
        Assert.Contains("onnxruntime-extensions", fail.Message, StringComparison.Ordinal);
        Assert.Contains("StringRegexReplace", fail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ops_without_a_cuda_kernel_are_a_warning_per_variant_on_a_declared_cuda_target()
    {
        // The digits MLP: Gemm/Relu have CUDA kernels; its dynamic int8 variant adds DynamicQuantizeLinear, which has none.
        File.Copy(_w.ModelPath, Path.Combine(_w.Root, "model.onnx"));
        File.WriteAllText(_w.ConfigPath, "version: 1\n" + SampleWorkspace.FastMeasure + "\nmodels:\n  - path: model.onnx\n    name: m\n    targets: [cpu, cuda]\n"
            + "    variants:\n      - name: int8\n        steps: [ { quantize: { mode: dynamic } } ]\n    budgets:\n      - { metric: file-size, max: 1 MB }\n");

        var r = _w.Run();

        var warn = Assert.Single(r.Checks, static c => c.Metric == "provider-kernels");
        Assert.Equal("int8", warn.Variant);
        Assert.Equal("cuda", warn.Target);
        Assert.Equal(CheckOutcome.Warn, warn.Outcome);
        Assert.Equal(PgCode.OpsFallBackToCpu, warn.Code);
        Assert.Matches("DynamicQuantizeLinear|DynamicQuantizeMatMul|MatMulIntegerToFloat", warn.Message);
    }

    [Fact]
    public void The_table_says_which_ops_cuda_has()
    {
        var t = Table;
        Assert.True(t.Supports("cuda", "", "MatMul", 17));
        Assert.True(t.Supports("cuda", "", "Scatter", 10));
        Assert.False(t.Supports("cuda", "", "Scatter", 11));
        Assert.False(t.Supports("cuda", "", "DynamicQuantizeLinear", 17));
        Assert.True(t.Supports("cuda", "com.microsoft", "MatMulNBits", 1));
        Assert.False(t.Supports("cuda", "com.microsoft", "DynamicQuantizeMatMul", 1));
        Assert.False(t.Supports("cuda", "ai.onnx.ml", "TreeEnsembleClassifier", 3));
    }
}
