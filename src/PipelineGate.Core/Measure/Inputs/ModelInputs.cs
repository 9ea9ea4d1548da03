using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Inputs;

/// <summary>
/// The tensors a session is fed when the caller has no evaluation data: files named per input, and
/// seeded random data for the rest. One seed for every door (run, bench, the gate's timing), so the
/// same model gets the same random inputs whichever command measures it.
/// </summary>
public static class ModelInputs
{
    /// <summary>The seed of every random input; changing it changes what data-dependent models compute.</summary>
    public const int RandomSeed = 20240611;

    /// <summary>
    /// Seeded random data for every input not in <paramref name="given"/>, drawn in the session's input
    /// order. Symbolic dims take their size from <paramref name="freeDimensions"/>, else 1.
    /// </summary>
    public static Dictionary<string, TensorData> Random(InferenceSession session, IReadOnlyDictionary<string, long> freeDimensions, IReadOnlyDictionary<string, TensorData>? given = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(freeDimensions);
        var shapes = session.Inputs.Where(i => given is null || !given.ContainsKey(i.Name))
            .Select(i => (Input: i, Shape: i.Dimensions.Select((d, k) => d >= 0 ? d : freeDimensions.GetValueOrDefault(i.SymbolicDimensions[k], 1)).ToArray()))
            .ToArray();
        RandomInputBound.Check(session.ModelName, shapes);
        var rng = new Random(RandomSeed);
        var data = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (input, shape) in shapes)
        {
            if (!RandomTensors.Supports(input.ElementType))
            {
                throw new PipelineGateException(PgCode.RandomInputUnsupported,
                    $"Input '{input.Name}' of '{session.ModelName}' is of type {TensorElementTypeInfo.Name(input.ElementType)}, which PipelineGate cannot fill with random data for timing.",
                    session.ModelName,
                    hint: "Give the model evaluation data ('data:' in pipelinegate.yml, --input for bench and run) that has this input, or export the model with a tensor input of a numeric, bool or string type.");
            }

            data[input.Name] = RandomTensors.Create(input.ElementType, shape, rng);
        }

        return data;
    }

    /// <summary>
    /// Reads <c>NAME=FILE</c> specs (<c>FILE</c> alone when the model has one input; .npy or .pb) and, when
    /// <paramref name="fillRandom"/> is set, fills the inputs left over with <see cref="Random"/> data.
    /// An input with no data and no random fill is a coded error naming it.
    /// </summary>
    public static Dictionary<string, TensorData> Resolve(InferenceSession session, IReadOnlyList<string> specs, bool fillRandom, IReadOnlyDictionary<string, long> freeDimensions)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(specs);
        var data = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var (name, file) = Split(session, spec);
            data[name] = TensorIO.Read(file);
        }

        var missing = session.Inputs.FirstOrDefault(i => !data.ContainsKey(i.Name));
        if (missing is not null && !fillRandom)
        {
            throw new PipelineGateException(PgCode.DataMissingInput,
                $"No data for input '{missing.Name}' ({TensorElementTypeInfo.Name(missing.ElementType)}{missing.ShapeText}).",
                session.ModelName, hint: "Pass --input NAME=FILE.npy, or --random-inputs.");
        }

        foreach (var (name, tensor) in Random(session, freeDimensions, data))
        {
            data[name] = tensor;
        }

        return data;
    }

    // NAME=FILE when NAME is an input; with one input, a path that itself contains '=' is taken whole when it exists.
    private static (string Name, string File) Split(InferenceSession session, string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0 && session.Inputs.Any(i => i.Name == spec[..eq]))
        {
            return (spec[..eq], spec[(eq + 1)..]);
        }

        if (session.Inputs.Count == 1)
        {
            return (session.Inputs[0].Name, eq > 0 && !File.Exists(spec) ? spec[(eq + 1)..] : spec);
        }

        throw new PipelineGateException(PgCode.DataMissingInput,
            $"--input '{spec}' does not name one of the model's inputs ({string.Join(", ", session.Inputs.Select(static i => i.Name))}).",
            hint: "Use NAME=FILE.");
    }
}
