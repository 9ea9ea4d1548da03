using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Optimize;

/// <summary>
/// Dynamic quantization on the ONNX backend test models where it applies: MatMul and Gemm cases whose
/// weight (and bias) inputs are turned into constants from the case's own test data, as exporters store
/// them. The quantized model must load and run, and every output element must lie within the error
/// bound that int8 rounding allows: |Δy_j| ≤ Σ_k (|a_k|·s_w,j/2 + |w_kj|·s_a/2 + s_w,j·s_a/4), with s_w,j the
/// weight scale of column j and s_a the dynamic activation scale (range including 0, over 255 steps).
/// </summary>
public sealed class QuantizedBackendTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("uint8", false)]
    [InlineData("int8", true)]
    public void Dynamic_quantization_stays_within_the_rounding_bound_on_backend_matmul_and_gemm_cases(string weightType, bool reduceRange)
    {
        var applied = new List<string>();
        var notApplicable = new List<string>();
        var failures = new List<string>();
        foreach (var dir in OnnxTestData.Cases("node").Where(static d => Path.GetFileName(d) is var n && (n.StartsWith("test_matmul", StringComparison.Ordinal) || n.StartsWith("test_gemm", StringComparison.Ordinal))))
        {
            var name = Path.GetFileName(dir);
            var set = Path.Combine(dir, "test_data_set_0");
            var model = ModelFile.Load(Path.Combine(dir, "model.onnx")).Clone();
            var inputs = Directory.GetFiles(set, "input_*.pb").Order(StringComparer.Ordinal).Select(TensorIO.ReadProto).ToList();
            var graph = model.Model.Graph;
            var node = graph.Node.Single();
            var weightIndex = graph.Input.ToList().FindIndex(i => i.Name == node.Input[1]);
            if (weightIndex < 0 || inputs[weightIndex].Data.ElementType != TensorElementType.Float || inputs[weightIndex].Data.Rank != 2)
            {
                notApplicable.Add($"{name}: weight is not a 2-D float input");
                continue;
            }

            // Bake the weight and bias from the test data into the model as initializers.
            var a = inputs[0].Data;
            var w = inputs[weightIndex].Data;
            for (var k = graph.Input.Count - 1; k >= 1; k--)
            {
                graph.Initializer.Add(TensorProtoConverter.FromTensorData(inputs[k].Data, graph.Input[k].Name));
                graph.Input.RemoveAt(k);
                inputs.RemoveAt(k);
            }

            var baked = ModelFile.Load(model.ToByteArray(), name);

            OptimizationOutput quantized;
            try
            {
                quantized = new QuantizeStep().Apply(baked, new RecipeStep("quantize", new Dictionary<string, string> { ["mode"] = "dynamic", ["weight-type"] = weightType, ["reduce-range"] = reduceRange ? "true" : "false" }, new SourceLocation("test", 1, 1)), new OptimizationContext(".", null));
            }
            catch (PipelineGateException ex) when (ex.Code == PgCode.RecipeNotApplicable)
            {
                notApplicable.Add($"{name}: {ex.Diagnostic.Message}");
                continue;
            }

            var expected = TensorIO.ReadProto(Path.Combine(set, "output_0.pb")).Data.ToDoubleArray();
            using var session = InferenceSession.Create(quantized.Model.ToByteArray(), name);
            var actual = session.Run(new Dictionary<string, TensorData> { [graph.Input[0].Name] = a })[graph.Output[0].Name].ToDoubleArray();
            var transB = node.OpType == "Gemm" && node.Attribute.Any(static at => at.Name == "transB" && at.I == 1);
            var bound = ErrorBound(a.ToFloatArray(), w.ToFloatArray(), (int)w.Shape[0], (int)w.Shape[1], transB, weightType == "uint8" ? null : reduceRange ? 63 : 127);
            var worst = Enumerable.Range(0, expected.Length).Max(j => Math.Abs(actual[j] - expected[j]) / (bound[j] + (1e-5 * Math.Abs(expected[j])) + 1e-6));
            applied.Add($"{name}: worst error / bound = {worst:0.000}");
            if (!(worst <= 1))
            {
                failures.Add($"{name}: an output differs by {worst:0.00}× the int8 error bound");
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, applied.Concat(notApplicable.Select(static n => "not applicable: " + n))));
        Assert.Empty(failures);
        Assert.True(applied.Count >= 4, $"only {applied.Count} backend cases were quantized: {string.Join("; ", notApplicable)}");
    }

    /// <summary>Per output column j (rows of A share it): the largest error int8 weight and uint8 activation rounding can cause.</summary>
    /// <param name="symmetricLevels">127 or 63 for symmetric int8 weights; null for asymmetric uint8 (range including 0 over 255 steps).</param>
    private static double[] ErrorBound(float[] a, float[] wRaw, int wRows, int wColumns, bool transposed, int? symmetricLevels)
    {
        var (k, n) = transposed ? (wColumns, wRows) : (wRows, wColumns);
        double W(int row, int column) => transposed ? wRaw[(column * wColumns) + row] : wRaw[(row * wColumns) + column];
        var sa = (Math.Max(0, a.Max()) - Math.Min(0, a.Min())) / 255.0;
        var rows = a.Length / k;
        var bound = new double[rows * n];
        for (var j = 0; j < n; j++)
        {
            var column = Enumerable.Range(0, k).Select(r => W(r, j)).ToArray();
            var sw = symmetricLevels is { } levels ? column.Max(Math.Abs) / levels : (Math.Max(0, column.Max()) - Math.Min(0, column.Min())) / 255.0;
            for (var i = 0; i < rows; i++)
            {
                double b = 0;
                for (var r = 0; r < k; r++)
                {
                    b += (Math.Abs(a[(i * k) + r]) * sw / 2) + (Math.Abs(W(r, j)) * sa / 2) + (sw * sa / 4);
                }

                bound[(i * n) + j] = b;
            }
        }

        return bound;
    }
}
