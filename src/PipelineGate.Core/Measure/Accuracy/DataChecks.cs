using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Matching evaluation arrays to model inputs and the coded errors for every mismatch. Each message
/// names the file, the array, what was expected and what to do, because the person reading it is
/// looking at a CI log, not at the code.
/// </summary>
internal static class DataChecks
{
    private const int Listed = 20;

    /// <summary>
    /// The data-side names that feed the model inputs, in model input order: from the mapping, else
    /// the input's own name. Without model inputs the mapping keys, or (when the mapping is empty too)
    /// null, meaning "every array except the label".
    /// </summary>
    public static List<(string Input, IReadOnlyList<string> Sources)>? Requested(EvalDataOptions options, bool oneSourcePerInput, string file)
    {
        var known = options.ModelInputs.Select(static m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (input, sources) in options.InputMapping)
        {
            if (known.Count > 0 && !known.Contains(input))
            {
                throw new PipelineGateException(
                    PgCode.ConfigInvalidValue,
                    $"The input mapping names '{input}', which is not an input of the model; the model's inputs are {List(known.Order(StringComparer.Ordinal))}.",
                    file,
                    hint: "Use the model's input names as the keys of the mapping (pipelinegate inspect lists them).");
            }

            if (sources is null || sources.Count == 0 || (oneSourcePerInput && sources.Count != 1))
            {
                throw new PipelineGateException(
                    PgCode.ConfigInvalidValue,
                    $"The input mapping for '{input}' lists {sources?.Count ?? 0} names; this data format maps each input to exactly one array.",
                    file,
                    hint: "Several names per input are only meaningful for CSV feature columns; give one array name.");
            }
        }

        if (options.ModelInputs.Count > 0)
        {
            return options.ModelInputs
                .Select(m => (m.Name, options.InputMapping.TryGetValue(m.Name, out var s) ? s : (IReadOnlyList<string>)[m.Name]))
                .ToList();
        }

        return options.InputMapping.Count > 0
            ? options.InputMapping.Select(static kv => (kv.Key, kv.Value)).ToList()
            : null;
    }

    public static (string Name, TensorElementType Type, long[] Dims)? ModelInput(EvalDataOptions options, string name)
    {
        foreach (var m in options.ModelInputs)
        {
            if (string.Equals(m.Name, name, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>PG2024: <paramref name="expectation"/> reads like "an array named 'x' in the archive".</summary>
    public static PipelineGateException MissingInput(string input, string expectation, string file, IEnumerable<string> available, string hint)
        => new(
            PgCode.DataMissingInput,
            $"Model input '{input}' has no data: expected {expectation}; found {List(available)}.",
            file,
            hint: hint);

    /// <summary>PG2026: the label array or file named in the settings is not there.</summary>
    public static PipelineGateException MissingLabel(string label, string expectation, string file, IEnumerable<string> available)
        => new(
            PgCode.DataNotFound,
            $"The labels '{label}' were not found: expected {expectation}; found {List(available)}.",
            file,
            hint: "Check the label name in the evaluation settings, or leave it unset for a set without labels (fidelity against a reference model).");

    /// <summary>Checks an array against its model input: exact element type, same rank, equal fixed non-batch dimensions.</summary>
    public static void CheckArray((string Name, TensorElementType Type, long[] Dims)? model, IArraySource array, EvalDataFormat format)
    {
        if (array.Shape.Length == 0)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                $"Array '{array.ArrayName}' is a scalar; an evaluation array needs a leading sample axis [N, ...].",
                array.File,
                hint: "Stack the samples along a first axis (np.stack(samples)), even for a single sample (arr[np.newaxis]).");
        }

        if (model is not { } m)
        {
            return;
        }

        if (array.ElementType != m.Type)
        {
            var have = TensorElementTypeInfo.Name(array.ElementType);
            var want = TensorElementTypeInfo.Name(m.Type);
            throw new PipelineGateException(
                PgCode.DataTypeMismatch,
                $"Array '{array.ArrayName}' is {have} but model input '{m.Name}' expects {want}; it needs a {have} → {want} conversion ({Conversion(array.ElementType, m.Type)}), which PipelineGate does not do implicitly.",
                array.File,
                hint: TypeHint(format, array.ArrayName, m.Type));
        }

        if (m.Dims.Length == 0)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                $"Model input '{m.Name}' is a scalar, so it has no batch axis to stack samples along; array '{array.ArrayName}' has shape {Shapes.Text(array.Shape)}.",
                array.File,
                hint: "Export the model with a leading batch dimension on this input.");
        }

        var rankOk = array.Shape.Length == m.Dims.Length;
        var dimsOk = rankOk;
        for (var i = 1; dimsOk && i < m.Dims.Length; i++)
        {
            dimsOk = m.Dims[i] < 0 || m.Dims[i] == array.Shape[i];
        }

        if (dimsOk)
        {
            return;
        }

        string hint;
        if (array.Shape.Length == m.Dims.Length - 1 && array.Shape.Select((d, i) => m.Dims[i + 1] < 0 || m.Dims[i + 1] == d).All(static ok => ok))
        {
            // The array looks like one sample of the input.
            hint = "The array lacks the leading sample axis: store samples stacked as [N, ...] (a single sample as arr[np.newaxis]).";
        }
        else if (!rankOk)
        {
            hint = $"Reshape the array to the model's rank {m.Dims.Length.ToString(CultureInfo.InvariantCulture)}, e.g. arr.reshape({ReshapeText(m.Dims)}).";
        }
        else
        {
            hint = "Every sample must have the shape the model expects; check the preprocessing (image size, channel order NCHW vs NHWC, feature count).";
        }

        throw new PipelineGateException(
            PgCode.DataShapeMismatch,
            $"Array '{array.ArrayName}' has shape {Shapes.Text(array.Shape)} but model input '{m.Name}' expects {Shapes.WithBatch(m.Dims)} (N = samples, ? = any size).",
            array.File,
            hint: hint);
    }

    /// <summary>The common sample count of the inputs and labels; PG2025 when they disagree.</summary>
    public static int SampleCount(IReadOnlyList<(string Input, IArraySource Array)> inputs, IArraySource? labels)
    {
        if (inputs.Count == 0)
        {
            throw new PipelineGateException(
                PgCode.DataMissingInput,
                "The evaluation data holds no input arrays.",
                labels?.File,
                hint: "Add one array per model input, named after the input.");
        }

        var first = inputs[0].Array;
        var n = first.Shape[0];
        foreach (var (_, array) in inputs.Skip(1))
        {
            if (array.Shape[0] != n)
            {
                throw new PipelineGateException(
                    PgCode.DataLabelMismatch,
                    $"Arrays have different sample counts: '{first.ArrayName}' has {Count(n)} ({Path.GetFileName(first.File)}) but '{array.ArrayName}' has {Count(array.Shape[0])} ({Path.GetFileName(array.File)}).",
                    array.File,
                    hint: "Every input array needs exactly one row per sample, in the same order; regenerate the arrays from the same sample list.");
            }
        }

        if (labels is not null)
        {
            // Labels are one value per sample, or a row per sample ([N, 1] or one-hot [N, C]).
            if (labels.Shape.Length == 0 || labels.Shape[0] != n)
            {
                var have = labels.Shape.Length == 0 ? "is a scalar" : $"have {Count(labels.Shape[0])} entries";
                throw new PipelineGateException(
                    PgCode.DataLabelMismatch,
                    $"Labels '{labels.ArrayName}' {have} but the inputs have {Count(n)} samples ('{first.ArrayName}').",
                    labels.File,
                    hint: "Save exactly one label per sample, in the same order as the inputs.");
            }
        }

        if (n > int.MaxValue)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                $"Array '{first.ArrayName}' has {Count(n)} samples; at most {Count(int.MaxValue)} are supported.",
                first.File,
                hint: "Split the evaluation set.");
        }

        return (int)n;
    }

    public static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        if (all.Count == 0)
        {
            return "nothing";
        }

        return string.Join(", ", all.Take(Listed).Select(static n => "'" + n + "'")) + (all.Count > Listed ? ", ..." : "");
    }

    public static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string ReshapeText(IReadOnlyList<long> dims)
        => string.Join(", ", dims.Select(static (d, i) => i == 0 ? "-1" : d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)));

    private static string Conversion(TensorElementType from, TensorElementType to)
    {
        var fromFloat = TensorElementTypeInfo.IsFloatingPoint(from);
        var toFloat = TensorElementTypeInfo.IsFloatingPoint(to);
        var wider = TensorElementTypeInfo.SizeOf(to) > TensorElementTypeInfo.SizeOf(from);
        if (from == TensorElementType.Bool || to == TensorElementType.Bool)
        {
            return "booleans and numbers mean different things";
        }

        return (fromFloat, toFloat) switch
        {
            (true, true) => wider ? "widening, exact" : "narrowing, values are rounded and may overflow",
            (false, true) => "integers to floating point, large values may be rounded",
            (true, false) => "floating point to integers, fractions are cut off",
            _ => wider ? "widening, exact" : "narrowing, values may overflow",
        };
    }

    private static string TypeHint(EvalDataFormat format, string array, TensorElementType want)
    {
        var np = want == TensorElementType.Bool ? "np.bool_" : "np." + TensorElementTypeInfo.Name(want);
        return format switch
        {
            EvalDataFormat.Npz => $"Convert the array when saving it: np.savez(path, {array}={array}.astype({np}), ...).",
            EvalDataFormat.OnnxTestData => $"Re-create the tensor file from arr.astype({np}) (onnx.numpy_helper.from_array), or fix the model's input type.",
            EvalDataFormat.Csv => $"CSV features are read as float32 (or float64 for a float64 input); give this {TensorElementTypeInfo.Name(want)} input its data as .npy/.npz, or add a Cast to the model.",
            _ => $"Convert the array when saving it: np.save(path, arr.astype({np})).",
        };
    }
}
