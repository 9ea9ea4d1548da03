using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.Facts;

/// <summary>Output-shape rules for the operators whose shapes the cost estimate needs to follow.</summary>
internal static class ShapeRules
{
    private static readonly HashSet<string> SameShape = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Gelu", "Erf",
        "Exp", "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Clip", "Cast", "Identity", "Dropout", "Softmax", "LogSoftmax",
        "BatchNormalization", "InstanceNormalization", "LayerNormalization", "LpNormalization", "Not", "Floor", "Ceil",
        "Round", "Sign", "Sin", "Cos", "QuantizeLinear", "DequantizeLinear", "Softplus", "Mish", "CastLike",
        "DynamicQuantizeLinear",
    };

    private static readonly HashSet<string> Broadcasting = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Equal", "Greater", "Less", "And", "Or", "Where",
        "GreaterOrEqual", "LessOrEqual", "Mod", "BitShift",
    };

    /// <summary>Derives the first output's shape of <paramref name="n"/>, or null when it cannot be told.</summary>
    public static long[]? Infer(NodeProto n, ShapeEnvironment env)
    {
        long[]? In(int i) => i < n.Input.Count && !string.IsNullOrEmpty(n.Input[i]) ? env.Get(n.Input[i]) : null;
        var x = In(0);
        if (SameShape.Contains(n.OpType))
        {
            return x;
        }

        if (Broadcasting.Contains(n.OpType))
        {
            return Broadcast(Enumerable.Range(0, n.Input.Count).Select(In).ToArray());
        }

        return n.OpType switch
        {
            "Conv" or "ConvInteger" or "QLinearConv" => ConvOutput(n, x, In(n.OpType == "QLinearConv" ? 3 : 1), transposed: false),
            "ConvTranspose" => ConvOutput(n, x, In(1), transposed: true),
            "MaxPool" or "AveragePool" or "LpPool" => PoolOutput(n, x),
            "GlobalAveragePool" or "GlobalMaxPool" => x is null || x.Length < 2 ? null : [.. x.Take(2), .. Enumerable.Repeat(1L, x.Length - 2)],
            "MatMul" or "MatMulInteger" or "DynamicQuantizeMatMul" or "MatMulIntegerToFloat" => MatMulOutput(x, In(1)),
            "QLinearMatMul" => MatMulOutput(x, In(3)),
            "Gemm" => GemmOutput(n, x, In(1)),
            "Flatten" => FlattenOutput(n, x),
            "Reshape" => ReshapeOutput(x, n.Input.Count > 1 ? env.ConstantInts(n.Input[1]) : NodeAttributes.Ints(n, "shape")),
            "Transpose" => x is null ? null : TransposeOutput(x, NodeAttributes.Ints(n, "perm")),
            "Squeeze" => SqueezeOutput(x, NodeAttributes.Ints(n, "axes") ?? (n.Input.Count > 1 ? env.ConstantInts(n.Input[1]) : null)),
            "Unsqueeze" => UnsqueezeOutput(x, NodeAttributes.Ints(n, "axes") ?? (n.Input.Count > 1 ? env.ConstantInts(n.Input[1]) : null)),
            "Concat" => ConcatOutput(n, Enumerable.Range(0, n.Input.Count).Select(In).ToArray()),
            _ => null,
        };
    }

    /// <summary>
    /// Shapes of outputs after the first that later nodes need: DynamicQuantizeLinear's scale and zero point are
    /// scalars, and the dequantizing Mul after a MatMulInteger/ConvInteger broadcasts with them.
    /// </summary>
    public static IEnumerable<(int Output, long[] Shape)> OtherOutputs(NodeProto n)
    {
        if (n.OpType == "DynamicQuantizeLinear")
        {
            yield return (1, []);
            yield return (2, []);
        }
    }

    public static long[]? Broadcast(long[]?[] shapes)
    {
        if (shapes.Length == 0 || shapes.Any(static s => s is null))
        {
            return null;
        }

        var rank = shapes.Max(static s => s!.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            long d = 1;
            foreach (var s in shapes)
            {
                var k = i - (rank - s!.Length);
                if (k >= 0 && s[k] != 1)
                {
                    d = s[k];
                }
            }

            result[i] = d;
        }

        return result;
    }

    private static long[]? ConvOutput(NodeProto n, long[]? x, long[]? w, bool transposed)
    {
        if (x is null || w is null || x.Length < 3 || w.Length != x.Length)
        {
            return null;
        }

        var spatial = x.Length - 2;
        var kernel = NodeAttributes.Ints(n, "kernel_shape") ?? w.Skip(2).ToArray();
        var strides = NodeAttributes.Ints(n, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dilations = NodeAttributes.Ints(n, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = NodeAttributes.Ints(n, "pads") ?? new long[2 * spatial];
        var autoPad = NodeAttributes.String(n, "auto_pad", "NOTSET");
        var group = NodeAttributes.Int(n, "group", 1);
        if (!WindowAttributesFit(spatial, kernel, strides, dilations, pads) || (transposed && NodeAttributes.Ints(n, "output_padding") is { } op && op.Length < spatial))
        {
            return null; // attributes shorter than the spatial rank, or a stride of zero: ORT rejects the node
        }

        var outChannels = transposed ? w[1] * group : w[0];
        var result = new long[x.Length];
        result[0] = x[0];
        result[1] = outChannels;
        for (var i = 0; i < spatial; i++)
        {
            var input = x[i + 2];
            var effectiveKernel = (dilations[i] * (kernel[i] - 1)) + 1;
            if (transposed)
            {
                var outputPadding = NodeAttributes.Ints(n, "output_padding")?[i] ?? 0;
                result[i + 2] = autoPad is "SAME_UPPER" or "SAME_LOWER"
                    ? input * strides[i]
                    : (strides[i] * (input - 1)) + outputPadding + effectiveKernel - pads[i] - pads[i + spatial];
            }
            else
            {
                result[i + 2] = autoPad switch
                {
                    "SAME_UPPER" or "SAME_LOWER" => (input + strides[i] - 1) / strides[i],
                    "VALID" => ((input - effectiveKernel) / strides[i]) + 1,
                    _ => ((input + pads[i] + pads[i + spatial] - effectiveKernel) / strides[i]) + 1,
                };
            }
        }

        return result;
    }

    private static long[]? PoolOutput(NodeProto n, long[]? x)
    {
        var kernel = NodeAttributes.Ints(n, "kernel_shape");
        if (x is null || kernel is null || x.Length != kernel.Length + 2)
        {
            return null;
        }

        var spatial = kernel.Length;
        var strides = NodeAttributes.Ints(n, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = NodeAttributes.Ints(n, "pads") ?? new long[2 * spatial];
        var dilations = NodeAttributes.Ints(n, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var ceil = NodeAttributes.Int(n, "ceil_mode", 0) == 1;
        var autoPad = NodeAttributes.String(n, "auto_pad", "NOTSET");
        if (!WindowAttributesFit(spatial, kernel, strides, dilations, pads))
        {
            return null;
        }

        var result = x.ToArray();
        for (var i = 0; i < spatial; i++)
        {
            var effectiveKernel = (dilations[i] * (kernel[i] - 1)) + 1;
            var numerator = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => x[i + 2] - 1,
                "VALID" => x[i + 2] - effectiveKernel,
                _ => x[i + 2] + pads[i] + pads[i + spatial] - effectiveKernel,
            };
            var step = autoPad is "SAME_UPPER" or "SAME_LOWER" ? strides[i] : strides[i];
            result[i + 2] = (ceil ? (numerator + step - 1) / step : numerator / step) + 1;
        }

        return result;
    }

    /// <summary>Whether a Conv/pool node's window attributes cover every spatial axis, with positive strides.</summary>
    private static bool WindowAttributesFit(int spatial, long[] kernel, long[] strides, long[] dilations, long[] pads) =>
        kernel.Length >= spatial && strides.Length >= spatial && dilations.Length >= spatial && pads.Length >= 2 * spatial
        && strides.Take(spatial).All(static s => s > 0);

    private static long[]? MatMulOutput(long[]? a, long[]? b)
    {
        if (a is null || b is null || a.Length == 0 || b.Length == 0)
        {
            return null;
        }

        var a2 = a.Length == 1 ? new[] { 1L, a[0] } : a;
        var b2 = b.Length == 1 ? new[] { b[0], 1L } : b;
        var batch = Broadcast([a2[..^2], b2[..^2]]);
        if (batch is null)
        {
            return null;
        }

        var result = new List<long>(batch);
        if (a.Length > 1)
        {
            result.Add(a2[^2]);
        }

        if (b.Length > 1)
        {
            result.Add(b2[^1]);
        }

        return [.. result];
    }

    private static long[]? GemmOutput(NodeProto n, long[]? a, long[]? b)
    {
        if (a is not { Length: 2 } || b is not { Length: 2 })
        {
            return null;
        }

        var m = NodeAttributes.Int(n, "transA", 0) == 1 ? a[1] : a[0];
        var cols = NodeAttributes.Int(n, "transB", 0) == 1 ? b[0] : b[1];
        return [m, cols];
    }

    private static long[]? FlattenOutput(NodeProto n, long[]? x)
    {
        if (x is null)
        {
            return null;
        }

        var axis = NodeAttributes.Int(n, "axis", 1);
        if (axis < 0)
        {
            axis += x.Length;
        }

        return [x.Take((int)axis).Aggregate(1L, static (p, d) => p * d), x.Skip((int)axis).Aggregate(1L, static (p, d) => p * d)];
    }

    private static long[]? ReshapeOutput(long[]? x, long[]? target)
    {
        if (x is null || target is null)
        {
            return null;
        }

        var total = x.Aggregate(1L, static (p, d) => p * d);
        var result = target.Select((d, i) => d == 0 && i < x.Length ? x[i] : d).ToArray();
        var known = result.Where(static d => d > 0).Aggregate(1L, static (p, d) => p * d);
        var inferred = Array.IndexOf(result, -1L);
        if (inferred >= 0 && known > 0)
        {
            result[inferred] = total / known;
        }

        return result.All(static d => d >= 0) ? result : null;
    }

    private static long[]? SqueezeOutput(long[]? x, long[]? axes)
    {
        if (x is null)
        {
            return null;
        }

        if (axes is null)
        {
            return x.Where(static d => d != 1).ToArray();
        }

        var norm = axes.Select(a => a < 0 ? a + x.Length : a).ToHashSet();
        return x.Where((_, i) => !norm.Contains(i)).ToArray();
    }

    private static long[]? UnsqueezeOutput(long[]? x, long[]? axes)
    {
        if (x is null || axes is null)
        {
            return null;
        }

        var rank = x.Length + axes.Length;
        var norm = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (norm.Count != axes.Length || norm.Any(a => a < 0 || a >= rank))
        {
            return null; // repeated or out-of-range axes: ORT rejects the node, the estimate does not guess
        }

        var result = new long[rank];
        var k = 0;
        for (var i = 0; i < rank; i++)
        {
            result[i] = norm.Contains(i) ? 1 : x[k++];
        }

        return result;
    }

    private static long[]? ConcatOutput(NodeProto n, long[]?[] inputs)
    {
        if (inputs.Length == 0 || inputs.Any(static s => s is null))
        {
            return null;
        }

        var first = inputs[0]!;
        var axis = NodeAttributes.Int(n, "axis", 0);
        if (axis < 0)
        {
            axis += first.Length;
        }

        if (axis < 0 || axis >= first.Length || inputs.Any(s => s!.Length != first.Length))
        {
            return null; // an axis outside the rank, or inputs of different ranks: no shape to derive
        }

        var result = first.ToArray();
        result[axis] = inputs.Sum(s => s![axis]);
        return result;
    }

    /// <summary>The input's dims in <paramref name="perm"/> order (reversed without one); null for a perm that is not a permutation of the rank.</summary>
    private static long[]? TransposeOutput(long[] x, long[]? perm)
    {
        perm ??= Enumerable.Range(0, x.Length).Reverse().Select(static i => (long)i).ToArray();
        if (perm.Length != x.Length || perm.Any(p => p < 0 || p >= x.Length) || perm.Distinct().Count() != perm.Length)
        {
            return null;
        }

        return perm.Select(p => x[p]).ToArray();
    }
}
