using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.LowRank;

/// <summary>
/// Low-rank factorization: a MatMul/Gemm weight W (K×N) becomes U·V (K×r, r×N) from a truncated SVD, r
/// the smallest rank keeping the requested share of Σσ² (or a fixed rank). Applied only where
/// r &lt; K·N/(K+N), the rank below which the two factors hold fewer parameters and cost fewer MACs
/// than W. The layer becomes MatMul(x, U) → MatMul/Gemm(·, V) with Gemm's bias, alpha and beta kept.
/// </summary>
public static class LowRankFactorizer
{
    public const string MetadataKey = "pipelinegate.factorization";

    public static OptimizationOutput Apply(ModelFile input, FactorizeOptions options) => Apply(input, options, requireSaving: true);

    /// <summary>A factorizable layer: its label, the weight's K×N as multiplied, and its SVD.</summary>
    internal sealed record Layer(string Label, int K, int N, SvdResult Svd)
    {
        /// <summary>The rank below which U·V holds fewer parameters than W: K·N/(K+N).</summary>
        public double Limit => (double)K * N / (K + N);
    }

    /// <summary>Every MatMul/Gemm with a constant 2-D float weight and its SVD (from <paramref name="cache"/> when there), in graph order.</summary>
    internal static List<Layer> Layers(ModelFile input, Dictionary<string, SvdResult> cache)
    {
        var layers = new List<Layer>();
        var constants = GraphConstants.Collect(input.Graph);
        for (var i = 0; i < input.Graph.Node.Count; i++)
        {
            if (Factorizable(input, constants, i, i, out var w, out var transB, out _) is { } label)
            {
                var (k, cols, svd) = Decompose(input, w!, transB, label, cache);
                layers.Add(new Layer(label, k, cols, svd));
            }
        }

        return layers;
    }

    /// <summary>Like <see cref="Apply(ModelFile, FactorizeOptions)"/>; <paramref name="requireSaving"/> false factorizes at any rank, also where it saves nothing (tests: full rank must reproduce outputs).</summary>
    internal static OptimizationOutput Apply(ModelFile input, FactorizeOptions options, bool requireSaving, Dictionary<string, SvdResult>? cache = null)
    {
        var file = input.Clone();
        var graph = file.Graph;
        var constants = GraphConstants.Collect(graph);
        var names = GraphConstants.AllNames(graph);
        var skipped = new List<string>();
        var done = new List<string>();
        long before = 0, after = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var n = graph.Node[i];
            if (Factorizable(file, constants, i, i - done.Count, out var w, out var transB, out var reason) is not { } label)
            {
                if (reason is not null)
                {
                    skipped.Add(reason);
                }

                continue;
            }

            var layerRank = 0;
            if (options.LayerRanks is { } ranks && !ranks.TryGetValue(label, out layerRank))
            {
                continue;
            }

            var (k, cols, svd) = Decompose(file, w!, transB, label, cache ?? []);
            var rank = options.LayerRanks is not null ? Math.Min(layerRank, svd.S.Length)
                : options.Rank is { } fixedRank ? Math.Min(fixedRank, svd.S.Length) : RankForEnergy(svd.S, options.Energy);
            var limit = (double)k * cols / (k + cols);
            if (requireSaving && rank >= limit)
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"{label} ({k}×{cols}): rank {rank} is not below K·N/(K+N) = {limit:0.#}, so U·V would not be smaller"));
                continue;
            }

            var u = new float[k * rank];
            var v = new float[rank * cols];
            for (var j = 0; j < rank; j++)
            {
                for (var r = 0; r < k; r++)
                {
                    u[(r * rank) + j] = (float)(svd.U[r, j] * svd.S[j]);
                }

                for (var c = 0; c < cols; c++)
                {
                    v[(j * cols) + c] = (float)svd.V[c, j];
                }
            }

            var stem = string.IsNullOrEmpty(n.Name) ? $"node{i}" : n.Name;
            var uName = GraphConstants.UniqueName(names, stem + "_U");
            var vName = GraphConstants.UniqueName(names, stem + "_V");
            var hidden = GraphConstants.UniqueName(names, stem + "_lowrank");
            graph.Initializer.Add(WeightTensors.Create(uName, u, [k, rank]));
            graph.Initializer.Add(WeightTensors.Create(vName, v, [rank, cols]));
            var first = new NodeProto { OpType = "MatMul", Name = GraphConstants.UniqueName(names, stem + "_lowrank_U") };
            first.Input.Add([n.Input[0], uName]);
            first.Output.Add(hidden);
            n.Input[0] = hidden;
            n.Input[1] = vName;
            if (transB)
            {
                n.Attribute.Single(static a => a.Name == "transB").I = 0;
            }

            graph.Node.Insert(i, first);
            i++;
            before += (long)k * cols;
            after += ((long)k + cols) * rank;
            done.Add(string.Create(CultureInfo.InvariantCulture, $"{label} {k}×{cols} → rank {rank}"));
        }

        if (done.Count == 0)
        {
            throw new PipelineGateException(PgCode.NothingToPrune,
                $"factorize ({options}) found no MatMul/Gemm weight worth factorizing{(skipped.Count > 0 ? ": " + string.Join("; ", skipped.Take(6)) : " (no MatMul or Gemm with a constant weight)")}; the variant would equal the original.",
                input.DisplayPath, hint: "Lower the energy (e.g. 0.9) or give a smaller rank, or drop the factorize step for this model.");
        }

        GraphConstants.RemoveUnused(graph);
        OptimizationMetadata.Stamp(file.Model, MetadataKey, new Dictionary<string, object>
        {
            ["energy"] = options.Rank is null ? options.Energy : -1,
            ["rank"] = options.Rank ?? -1,
            ["layers"] = done.Count,
            ["weightsBefore"] = before,
            ["weightsAfter"] = after,
            ["fineTuned"] = false,
        });
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{options}: {done.Count} layer(s) factorized, their weights {before:N0} → {after:N0} parameters (and MACs in proportion): {string.Join("; ", done.Take(20))}."),
        };
        if (skipped.Count > 0)
        {
            notes.Add($"{skipped.Count} layer(s) kept whole: " + string.Join("; ", skipped.Take(20)) + (skipped.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>The layer's label when node <paramref name="i"/> is a MatMul/Gemm with a 2-D float weight multiplied from the right; else null, with the reason when it has a constant weight.</summary>
    /// <remarks><paramref name="original"/> is the node's index before any U node was inserted: the label of an unnamed node must not move.</remarks>
    private static string? Factorizable(ModelFile file, Dictionary<string, TensorProto> constants, int i, int original, out TensorProto? w, out bool transB, out string? reason)
    {
        var n = file.Graph.Node[i];
        w = null;
        transB = false;
        reason = null;
        if (n.OpType is not ("MatMul" or "Gemm") || !OnnxDomains.Same(n.Domain, OnnxDomains.Default) || n.Input.Count < 2 || !constants.TryGetValue(n.Input[1], out w))
        {
            return null; // not a weight layer, or activation × activation
        }

        var label = Pruning.ChannelAnalysis.Label(n, original);
        if (!WeightTensors.IsFloat(w) || w.Dims.Count != 2 || (n.OpType == "Gemm" && NodeAttributes.Int(n, "transA", 0) != 0))
        {
            reason = $"{label}: weight is not a 2-D float matrix multiplied from the right";
            return null;
        }

        transB = n.OpType == "Gemm" && NodeAttributes.Int(n, "transB", 0) == 1;
        return label;
    }

    /// <summary>The weight as the K×N matrix multiplied, and its SVD (cached by layer label: the search decomposes each weight once).</summary>
    private static (int K, int N, SvdResult Svd) Decompose(ModelFile file, TensorProto w, bool transB, string label, Dictionary<string, SvdResult> cache)
    {
        var k = (int)w.Dims[transB ? 1 : 0];
        var cols = (int)w.Dims[transB ? 0 : 1];
        if (!cache.TryGetValue(label, out var svd))
        {
            var data = WeightTensors.Read(w, file);
            var matrix = new double[k, cols];
            for (var r = 0; r < k; r++)
            {
                for (var c = 0; c < cols; c++)
                {
                    matrix[r, c] = transB ? data[(c * k) + r] : data[(r * cols) + c];
                }
            }

            cache[label] = svd = Svd.Decompose(matrix);
        }

        return (k, cols, svd);
    }

    /// <summary>The smallest r whose leading singular values hold at least the given share of Σσ².</summary>
    internal static int RankForEnergy(double[] s, double energy)
    {
        var total = s.Sum(static x => x * x);
        if (total == 0)
        {
            return 1;
        }

        double kept = 0;
        for (var r = 0; r < s.Length; r++)
        {
            kept += s[r] * s[r];
            if (kept >= energy * total * (1 - 1e-12))
            {
                return r + 1;
            }
        }

        return s.Length;
    }
}
