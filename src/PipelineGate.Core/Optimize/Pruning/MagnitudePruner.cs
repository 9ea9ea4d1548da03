using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Unstructured magnitude pruning: zeroes the smallest weights, per layer or ranked across layers, or
/// keeps the N largest of every M consecutive weights along the reduction axis (N:M). The tensors keep
/// their shapes, so ONNX Runtime's dense CPU kernels do exactly the same work: only the compressed
/// size of the file shrinks. First and last layers are skipped by default.
/// </summary>
public static class MagnitudePruner
{
    public const string MetadataKey = "pipelinegate.pruning";

    public static OptimizationOutput Apply(ModelFile input, PruneOptions options)
    {
        var file = input.Clone();
        var skipped = new List<string>();
        var layers = Layers(file, options, skipped);
        var notes = new List<string>();
        if (options.LayerSparsity is not null)
        {
            layers.RemoveAll(l => options.SparsityOf(l.Layer) <= 0);
        }

        if (layers.Count == 0)
        {
            throw new PipelineGateException(PgCode.NothingToPrune,
                $"{options.Method} pruning found no prunable weight{(skipped.Count > 0 ? ": " + string.Join("; ", skipped.Take(6)) : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "Set skip-first-last: false to prune the first and last layers too, or drop the prune step for this model.");
        }

        var values = layers.Select(l => WeightTensors.Read(l.Tensor, file)).ToList();
        long total = values.Sum(static v => (long)v.Length);
        var zerosBefore = values.Sum(static v => (long)v.Count(static x => x == 0));
        if (options.Pattern is { } nm)
        {
            for (var i = 0; i < layers.Count; i++)
            {
                ApplyPattern(values[i], layers[i].Tensor.Dims.ToArray(), layers[i].ReductionAxis, nm);
            }
        }
        else if (options.PerLayer || options.LayerSparsity is not null)
        {
            for (var i = 0; i < layers.Count; i++)
            {
                ZeroSmallest(values[i], (long)Math.Floor(options.SparsityOf(layers[i].Layer) * values[i].Length));
            }
        }
        else
        {
            ZeroSmallestGlobally(values, (long)Math.Floor(options.Sparsity * total));
        }

        for (var i = 0; i < layers.Count; i++)
        {
            WeightTensors.Overwrite(layers[i].Tensor, values[i]);
        }

        var zerosAfter = values.Sum(static v => (long)v.Count(static x => x == 0));
        OptimizationMetadata.Stamp(file.Model, MetadataKey, new Dictionary<string, object>
        {
            ["method"] = options.Method,
            ["sparsity"] = options.Sparsity,
            ["pattern"] = options.Pattern is { } p ? $"{p.N}:{p.M}" : "none",
            ["perLayer"] = options.PerLayer,
            ["layers"] = layers.Count,
            ["zeroedWeights"] = zerosAfter - zerosBefore,
        });
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{options}: {layers.Count} layer(s), {zerosAfter:N0} of {total:N0} weights are zero ({zerosAfter / (double)total:P1}; {zerosBefore:N0} were zero before)."));
        notes.Add("Dense latency is unchanged: the tensors keep their shapes and ONNX Runtime's CPU kernels multiply the zeros too; the gain is the compressed size (gzip) of the file.");
        if (skipped.Count > 0)
        {
            notes.Add($"{skipped.Count} layer(s) left dense: " + string.Join("; ", skipped.Take(20)) + (skipped.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>The layers this method would prune (first/last removed when skipped, N:M layers that can follow the pattern), in graph order.</summary>
    internal static List<PrunableWeight> Layers(ModelFile file, PruneOptions options, List<string> skipped)
    {
        var layers = PrunableWeights.Find(file.Graph, skipped);
        if (options.SkipFirstLast && layers.Count > 0)
        {
            skipped.Add($"{layers[0].Layer}: the first layer is skipped by default");
            if (layers.Count > 1)
            {
                skipped.Add($"{layers[^1].Layer}: the last layer is skipped by default");
                layers.RemoveAt(layers.Count - 1);
            }

            layers.RemoveAt(0);
        }

        return options.Pattern is { } pattern ? FollowPattern(layers, pattern, skipped, file.DisplayPath) : layers;
    }

    private static List<PrunableWeight> FollowPattern(List<PrunableWeight> layers, (int N, int M) pattern, List<string> skipped, string model)
    {
        var kept = new List<PrunableWeight>();
        foreach (var l in layers)
        {
            var size = l.Tensor.Dims[l.ReductionAxis];
            if (size % pattern.M != 0)
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"{l.Layer}: reduction size {size} is not a multiple of {pattern.M}"));
            }
            else
            {
                kept.Add(l);
            }
        }

        if (kept.Count == 0 && layers.Count > 0)
        {
            throw new PipelineGateException(PgCode.PrunePatternUnfollowable,
                string.Create(CultureInfo.InvariantCulture, $"No layer can follow the {pattern.N}:{pattern.M} pattern: {string.Join("; ", skipped.Take(6))}."),
                model, hint: "Use a pattern whose M divides the layers' input channels (e.g. 2:4), or unstructured method: magnitude.");
        }

        return kept;
    }

    /// <summary>Zeroes the k entries of smallest magnitude (ties broken by position, so the result is deterministic).</summary>
    internal static void ZeroSmallest(float[] v, long k)
    {
        if (k <= 0)
        {
            return;
        }

        var keys = v.Select(MathF.Abs).ToArray();
        var index = Enumerable.Range(0, v.Length).ToArray();
        Array.Sort(keys, index);
        for (var i = 0; i < k; i++)
        {
            v[index[i]] = 0;
        }
    }

    private static void ZeroSmallestGlobally(List<float[]> values, long k)
    {
        if (k <= 0)
        {
            return;
        }

        var all = values.SelectMany(static v => v.Select(MathF.Abs)).ToArray();
        Array.Sort(all);
        var threshold = all[k - 1];
        var atThreshold = k - all.AsSpan(0, (int)k).ToArray().Count(x => x < threshold);
        foreach (var v in values)
        {
            for (var i = 0; i < v.Length; i++)
            {
                var a = MathF.Abs(v[i]);
                if (a < threshold)
                {
                    v[i] = 0;
                }
                else if (a == threshold && atThreshold > 0)
                {
                    v[i] = 0;
                    atThreshold--;
                }
            }
        }
    }

    /// <summary>In every group of M consecutive weights along the axis, keeps the N of largest magnitude.</summary>
    internal static void ApplyPattern(float[] v, long[] dims, int axis, (int N, int M) pattern)
    {
        var (outer, size, inner) = WeightTensors.AroundAxis(dims, axis);
        var group = new int[pattern.M];
        var keys = new float[pattern.M];
        for (var o = 0L; o < outer; o++)
        {
            for (var s = 0L; s < inner; s++)
            {
                for (var g = 0L; g < size; g += pattern.M)
                {
                    for (var j = 0; j < pattern.M; j++)
                    {
                        group[j] = (int)((((o * size) + g + j) * inner) + s);
                        keys[j] = MathF.Abs(v[group[j]]);
                    }

                    Array.Sort(keys, group);
                    for (var j = 0; j < pattern.M - pattern.N; j++)
                    {
                        v[group[j]] = 0;
                    }
                }
            }
        }
    }
}
