using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Pruning;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Tests.Optimize.Pruning;

/// <summary>Small CNNs built in code that hold every pattern channel pruning follows, and helpers to run and compare them.</summary>
internal static class PruningFixtures
{
    /// <summary>
    /// x[1,3,8,8] → Conv → BN → Relu → (+ Conv 1×1: residual Add, tied channels) → depthwise Conv → HardSwish → Conv ┐
    ///                                                              └────────────→ Conv ───────────────────────────────┴ Concat → Mul(per-channel constant) → Conv → GlobalAveragePool → Flatten → Gemm → y[1,5].
    /// With <paramref name="transposeTail"/> the last Conv's output also goes through a Transpose to a second output.
    /// </summary>
    public static ModelFile Cnn(int seed = 3, bool transposeTail = false)
    {
        var rng = new Random(seed);
        var g = new GraphProto { Name = "cnn" };
        g.Input.Add(TinyModels.Value("x", TensorElementType.Float, "1", "3", "8", "8"));
        void W(string name, params long[] dims) => g.Initializer.Add(Weight(rng, name, dims));
        void Positive(string name, long n) => g.Initializer.Add(WeightTensors.Create(name, [.. Enumerable.Range(0, (int)n).Select(_ => 0.5f + (float)rng.NextDouble())], [n]));

        W("w1", 8, 3, 3, 3); W("b1", 8);
        g.Node.Add(Conv("c1", ["x", "w1", "b1"], "a1", pads: 1));
        Positive("bn_s", 8); W("bn_b", 8); W("bn_m", 8); Positive("bn_v", 8);
        g.Node.Add(TinyModels.Node("BatchNormalization", ["a1", "bn_s", "bn_b", "bn_m", "bn_v"], ["n1"], "bn1"));
        g.Node.Add(TinyModels.Node("Relu", ["n1"], ["h1"], "r1"));
        W("w2", 8, 8, 1, 1); W("b2", 8);
        g.Node.Add(Conv("c2", ["h1", "w2", "b2"], "a2"));
        g.Node.Add(TinyModels.Node("Add", ["h1", "a2"], ["h2"], "residual"));
        W("wd", 8, 1, 3, 3); W("bd", 8);
        g.Node.Add(Conv("dw", ["h2", "wd", "bd"], "d", pads: 1, group: 8));
        g.Node.Add(TinyModels.Node("HardSwish", ["d"], ["e"], "hs"));
        W("w3", 6, 8, 1, 1);
        g.Node.Add(Conv("c3", ["e", "w3"], "f"));
        W("w4", 4, 8, 1, 1); W("b4", 4);
        g.Node.Add(Conv("c4", ["h2", "w4", "b4"], "gg"));
        var cat = TinyModels.Node("Concat", ["f", "gg"], ["k"], "cat");
        cat.Attribute.Add(Int("axis", 1));
        g.Node.Add(cat);
        W("scale", 1, 10, 1, 1);
        g.Node.Add(TinyModels.Node("Mul", ["k", "scale"], ["k2"], "scale_mul"));
        W("w5", 8, 10, 1, 1); W("b5", 8);
        g.Node.Add(Conv("c5", ["k2", "w5", "b5"], "l"));
        g.Node.Add(TinyModels.Node("GlobalAveragePool", ["l"], ["p"], "gap"));
        g.Node.Add(TinyModels.Node("Flatten", ["p"], ["q"], "flat"));
        W("wf", 5, 8); W("bf", 5);
        var fc = TinyModels.Node("Gemm", ["q", "wf", "bf"], ["y"], "fc");
        fc.Attribute.Add(Int("transB", 1));
        g.Node.Add(fc);
        g.Output.Add(TinyModels.Value("y", TensorElementType.Float, "1", "5"));
        if (transposeTail)
        {
            var t = TinyModels.Node("Transpose", ["l"], ["lt"], "tail_transpose");
            t.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 3, 1 } });
            g.Node.Add(t);
            g.Output.Add(TinyModels.Value("lt", TensorElementType.Float, "1", "8", "8", "8"));
        }

        return ModelFile.Load(TinyModels.Model(g), "cnn.onnx");
    }

    public static TensorData CnnInput(int seed) =>
        TensorData.Create(Enumerable.Range(0, 3 * 8 * 8).Select(i => (float)Math.Sin((i * 0.37) + seed)).ToArray(), 1, 3, 8, 8);

    public static TensorProto Weight(Random rng, string name, params long[] dims)
    {
        var n = dims.Aggregate(1L, static (a, d) => a * d);
        return WeightTensors.Create(name, [.. Enumerable.Range(0, (int)n).Select(_ => (float)(rng.NextDouble() - 0.5))], dims);
    }

    public static NodeProto Conv(string name, string[] inputs, string output, int pads = 0, int group = 1)
    {
        var n = TinyModels.Node("Conv", inputs, [output], name);
        if (pads > 0)
        {
            n.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { pads, pads, pads, pads } });
        }

        if (group > 1)
        {
            n.Attribute.Add(Int("group", group));
        }

        return n;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static RecipeStep Step(string kind, params (string Key, string Value)[] options) =>
        new(kind, options.ToDictionary(static o => o.Key, static o => o.Value, StringComparer.Ordinal), new SourceLocation("test", 1, 1));

    public static OptimizationOutput Prune(ModelFile model, params (string Key, string Value)[] options) =>
        new PruneStep().Apply(model, Step("prune", options), new OptimizationContext(".", null));

    public static double MaxAbsDifference(TensorData a, TensorData b) =>
        a.ToDoubleArray().Zip(b.ToDoubleArray(), static (x, y) => Math.Abs(x - y)).Max();

    /// <summary>
    /// Zeroes, in a copy, what the plan would remove at the two ends of each removed channel: the producing
    /// layer's output slice (weights and bias) and every reading layer's input slice. Such a channel contributes
    /// exactly nothing, so removing it must leave the outputs as they are: what lies in between (normalization,
    /// depthwise filters, per-channel constants, concat offsets, reshape targets) is then tested by the surgery alone.
    /// </summary>
    public static ModelFile ZeroRemovedChannels(ModelFile model, ChannelPruner.ChannelPlan plan)
    {
        var file = model.Clone();
        var graph = file.Graph;
        var constants = GraphConstants.Collect(graph);
        var names = GraphConstants.AllNames(graph);
        foreach (var edit in plan.Analysis.Edits.Where(static e => e.Role is EditRole.Producer or EditRole.Consumer && e.Kind == EditKind.Slice))
        {
            var gone = Enumerable.Range(0, edit.Ids.Length).Where(p => plan.Removed.Contains(plan.Analysis.Find(edit.Ids[p]))).ToHashSet();
            if (gone.Count == 0)
            {
                continue;
            }

            var node = graph.Node[edit.Node];
            var t = constants[node.Input[edit.Slot]];
            var dims = t.Dims.ToArray();
            var data = WeightTensors.Read(t, file);
            var (outer, size, inner) = WeightTensors.AroundAxis(dims, edit.Axis);
            for (var o = 0L; o < outer; o++)
            {
                foreach (var c in gone)
                {
                    Array.Clear(data, (int)(((o * size) + c) * inner), (int)inner);
                }
            }

            var name = GraphConstants.UniqueName(names, node.Input[edit.Slot] + "_zeroed");
            var zeroed = WeightTensors.Create(name, data, dims);
            graph.Initializer.Add(zeroed);
            constants[name] = zeroed;
            node.Input[edit.Slot] = name;
        }

        GraphConstants.RemoveUnused(graph);
        return file;
    }
}
