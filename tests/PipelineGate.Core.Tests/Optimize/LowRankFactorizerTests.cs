using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize;
using PipelineGate.Optimize.LowRank;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;
using static PipelineGate.Tests.Optimize.Pruning.PruningFixtures;
using static PipelineGate.Tests.Optimize.QuantizationFixtures;

namespace PipelineGate.Tests.Optimize;

public sealed class LowRankFactorizerTests
{
    [Theory]
    [InlineData(7, 5)]
    [InlineData(4, 9)]
    [InlineData(30, 30)]
    public void The_Jacobi_SVD_reconstructs_the_matrix_with_orthonormal_factors_and_sorted_values(int m, int n)
    {
        var rng = new Random(m * n);
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = rng.NextDouble() - 0.5;
            }
        }

        var svd = Svd.Decompose(a);
        var k = Math.Min(m, n);
        Assert.Equal(k, svd.S.Length);
        Assert.True(svd.S.Zip(svd.S.Skip(1)).All(static p => p.First >= p.Second));
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var r = 0; r < k; r++)
                {
                    sum += svd.U[i, r] * svd.S[r] * svd.V[j, r];
                }

                Assert.Equal(a[i, j], sum, 10);
            }
        }

        for (var p = 0; p < k; p++)
        {
            for (var q = 0; q < k; q++)
            {
                var uu = Enumerable.Range(0, m).Sum(i => svd.U[i, p] * svd.U[i, q]);
                var vv = Enumerable.Range(0, n).Sum(j => svd.V[j, p] * svd.V[j, q]);
                Assert.Equal(p == q ? 1 : 0, uu, 10);
                Assert.Equal(p == q ? 1 : 0, vv, 10);
            }
        }
    }

    [Fact]
    public void A_rank_four_weight_is_found_and_reproduced_with_fewer_parameters()
    {
        var (model, feed) = LowRankMatMul(64, 48, rank: 4);
        var result = LowRankFactorizer.Apply(model, new FactorizeOptions { Energy = 0.999999 });
        var nodes = result.Model.Graph.Node.Where(static n => n.OpType == "MatMul").ToArray();
        Assert.Equal(2, nodes.Length);
        Assert.Equal(new long[] { 64, 4 }, GraphConstants.Collect(result.Model.Graph)[nodes[0].Input[1]].Dims);
        Assert.True(MaxAbsDifference(Run(model, feed, "a")["y"], Run(result.Model, feed, "b")["y"]) < 1e-4);
        Assert.Contains(result.Model.Model.MetadataProps, static p => p.Key == LowRankFactorizer.MetadataKey);
    }

    [Fact]
    public void Factorizing_at_full_rank_reproduces_the_outputs_of_Gemm_with_transB_and_bias()
    {
        var rng = new Random(4);
        var g = new GraphProto { Name = "gemm" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "3", "12"));
        g.Initializer.Add(Weight(rng, "w", 10, 12));
        g.Initializer.Add(Weight(rng, "b", 10));
        var gemm = TinyModels.Node("Gemm", ["x", "w", "b"], ["y"], "fc");
        gemm.Attribute.Add([Int("transB", 1), new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 0.5f }]);
        g.Node.Add(gemm);
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "3", "10"));
        var model = ModelFile.Load(TinyModels.Model(g), "gemm.onnx");
        var feed = new Dictionary<string, TensorData> { ["x"] = TensorData.Create(Enumerable.Range(0, 36).Select(static i => (float)Math.Cos(i)).ToArray(), 3, 12) };

        var result = LowRankFactorizer.Apply(model, new FactorizeOptions { Rank = 10 }, requireSaving: false);
        Assert.True(MaxAbsDifference(Run(model, feed, "a")["y"], Run(result.Model, feed, "b")["y"]) < 1e-5);

        // With the saving rule on, rank 10 of a 12×10 weight saves nothing: the layer is kept and that is a coded error.
        var e = Assert.Throws<PipelineGateException>(() => LowRankFactorizer.Apply(model, new FactorizeOptions { Rank = 10 }));
        Assert.Equal(PgCode.NothingToPrune, e.Diagnostic.Code);
        Assert.Contains("K·N/(K+N)", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("energy", "0")]
    [InlineData("energy", "1.5")]
    [InlineData("rank", "0")]
    public void Amounts_out_of_range_are_coded_errors(string key, string value)
    {
        var e = Assert.Throws<PipelineGateException>(() => new FactorizeStep().Apply(Digits(), Step("factorize", (key, value)), new OptimizationContext(".", null)));
        Assert.Equal(PgCode.PruneAmountOutOfRange, e.Diagnostic.Code);
    }

    [Fact]
    public void Energy_and_rank_together_are_a_coded_error()
    {
        var e = Assert.Throws<PipelineGateException>(() => new FactorizeStep().Apply(Digits(), Step("factorize", ("energy", "0.9"), ("rank", "3")), new OptimizationContext(".", null)));
        Assert.Equal(PgCode.FactorizeNotApplicable, e.Diagnostic.Code);
    }

    private static (ModelFile Model, Dictionary<string, TensorData> Feed) LowRankMatMul(int k, int n, int rank)
    {
        var rng = new Random(11);
        var a = Enumerable.Range(0, k * rank).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, rank * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var w = new float[k * n];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < n; j++)
            {
                w[(i * n) + j] = (float)Enumerable.Range(0, rank).Sum(r => a[(i * rank) + r] * b[(r * n) + j]);
            }
        }

        var g = new GraphProto { Name = "lowrank" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "2", k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        g.Initializer.Add(WeightTensors.Create("w", w, [k, n]));
        g.Node.Add(TinyModels.Node("MatMul", ["x", "w"], ["y"], "mm"));
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "2", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var feed = new Dictionary<string, TensorData> { ["x"] = TensorData.Create(Enumerable.Range(0, 2 * k).Select(static i => (float)Math.Sin(i)).ToArray(), 2, k) };
        return (ModelFile.Load(TinyModels.Model(g), "lowrank.onnx"), feed);
    }
}
