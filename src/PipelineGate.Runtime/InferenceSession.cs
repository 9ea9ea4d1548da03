using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Tensors;
using OrtSession = Microsoft.ML.OnnxRuntime.InferenceSession;

namespace PipelineGate.Runtime;

/// <summary>
/// A loaded model ready to run, over ORT's managed <c>InferenceSession</c>. <see cref="Run"/> is safe to
/// call from several threads at once (ORT allows concurrent Run on one session); a <see cref="PreparedRun"/>
/// or <see cref="IoBindingRun"/> belongs to one thread at a time.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly OrtSession _session;

    private InferenceSession(OrtSession session, string modelName, SessionConfig config)
    {
        _session = session;
        ModelName = modelName;
        Config = config;
        Inputs = ReadMetadata(session.InputNames, session.InputMetadata);
        Outputs = ReadMetadata(session.OutputNames, session.OutputMetadata);
    }

    public string ModelName { get; }

    public SessionConfig Config { get; }

    public IReadOnlyList<NodeMetadata> Inputs { get; }

    public IReadOnlyList<NodeMetadata> Outputs { get; }

    internal OrtSession Native => _session;

    /// <summary>
    /// Loads a model file (external data is resolved beside it by ORT). This is the one place a model PATH is handed
    /// to ONNX Runtime, and the file goes through PipelineGate's reader first (<see cref="ModelFile.Load(string)"/>):
    /// every external-data location resolved, its real path (links followed) inside the model's folder, no dangling
    /// or looping link, no traversal (PG2005/PG2006/PG2014), and the reader's bounds (PG2060, PG2062). ORT would
    /// otherwise read any file a location or a link names, so a refused model is never given to it. A file that passed
    /// is not read again while it and its external data are unchanged (<see cref="ModelPathCheck"/> says why that is safe).
    /// </summary>
    public static InferenceSession Create(string modelPath, SessionConfig? config = null)
    {
        config ??= SessionConfig.Default;
        ModelPathCheck.Ensure(modelPath);
        _ = OrtEnvironment.Instance;
        var fullPath = Path.GetFullPath(modelPath);
        using var options = SessionOptionsFactory.Create(config);
        var session = CreateSession(() => new OrtSession(fullPath, options), config, modelPath);
        return new InferenceSession(session, modelPath, config);
    }

    /// <summary>Loads a model from memory; ORT parses the bytes during the call and keeps no reference to them.</summary>
    public static InferenceSession Create(ReadOnlySpan<byte> model, string displayName, SessionConfig? config = null)
    {
        config ??= SessionConfig.Default;
        _ = OrtEnvironment.Instance;
        var bytes = model.ToArray();
        using var options = SessionOptionsFactory.Create(config);
        var session = CreateSession(() => new OrtSession(bytes, options), config, displayName);
        return new InferenceSession(session, displayName, config);
    }

    /// <summary>Runs once with managed inputs and returns managed copies of the outputs (all, or the named ones).</summary>
    public IReadOnlyDictionary<string, TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<string>? outputNames = null)
    {
        using var prepared = Prepare(inputs, outputNames, preallocateOutputs: false);
        prepared.Run();
        return prepared.ReadOutputs();
    }

    /// <summary>
    /// Creates native inputs once so that repeated runs measure inference, not marshalling. With
    /// <paramref name="preallocateOutputs"/>, outputs are allocated once too (shapes learnt from one
    /// warm-up run when the model's output shapes are dynamic).
    /// </summary>
    public PreparedRun Prepare(IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<string>? outputNames = null, bool preallocateOutputs = true)
    {
        CheckInputs(inputs);
        return new PreparedRun(this, inputs, ResolveOutputs(outputNames), preallocateOutputs);
    }

    /// <summary>Binds inputs and outputs with an IoBinding (outputs preallocated from one warm-up run).</summary>
    public IoBindingRun Bind(IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<string>? outputNames = null)
    {
        CheckInputs(inputs);
        return new IoBindingRun(this, inputs, ResolveOutputs(outputNames));
    }

    /// <summary>Stops profiling and returns the profile file ORT wrote.</summary>
    public string EndProfiling() => OrtErrors.Call(_session.EndProfiling, PgCode.RunFailed, "Ending profiling failed", ModelName);

    public void Dispose() => _session.Dispose();

    internal IReadOnlyList<NodeMetadata> ResolveOutputs(IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return Outputs;
        }

        return names.Select(n => Outputs.FirstOrDefault(o => o.Name == n)
            ?? throw new PipelineGateException(PgCode.DataMissingInput, $"The model has no output named '{n}'; its outputs are {string.Join(", ", Outputs.Select(static o => o.Name))}.", ModelName)).ToArray();
    }

    private void CheckInputs(IReadOnlyDictionary<string, TensorData> inputs)
    {
        foreach (var name in inputs.Keys)
        {
            if (Inputs.All(i => i.Name != name))
            {
                throw new PipelineGateException(PgCode.DataMissingInput,
                    $"The model has no input named '{name}'; its inputs are {string.Join(", ", Inputs.Select(static i => $"{i.Name} {TensorElementTypeInfo.Name(i.ElementType)}{i.ShapeText}"))}.",
                    ModelName, hint: "Map the data's arrays to the model's input names.");
            }
        }

        foreach (var input in Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out var data))
            {
                throw new PipelineGateException(PgCode.DataMissingInput,
                    $"No data was given for model input '{input.Name}' ({TensorElementTypeInfo.Name(input.ElementType)}{input.ShapeText}).",
                    ModelName, hint: "Provide a value for every input (or use random inputs).");
            }

            if (input.IsTensor && data.ElementType != input.ElementType)
            {
                throw new PipelineGateException(PgCode.DataTypeMismatch,
                    $"Input '{input.Name}' expects {TensorElementTypeInfo.Name(input.ElementType)}, but the data is {TensorElementTypeInfo.Name(data.ElementType)}.",
                    ModelName, hint: "Convert the data to the model's input type.");
            }

            var dims = input.Dimensions;
            var mismatch = input.IsTensor && dims.Count > 0 && (data.Rank != dims.Count || dims.Where((d, i) => d >= 0 && d != data.Shape[i]).Any());
            if (mismatch)
            {
                throw new PipelineGateException(PgCode.DataShapeMismatch,
                    $"Input '{input.Name}' expects shape {input.ShapeText}, but the data has shape {Shapes.Text(data.Shape)}.",
                    ModelName, hint: "Reshape the data to the model's input shape.");
            }
        }
    }

    private static OrtSession CreateSession(Func<OrtSession> create, SessionConfig config, string file)
    {
        try
        {
            if (config.Provider == ExecutionProvider.Cpu)
            {
                return create();
            }

            // A GPU provider's libraries load when the session is created: keep ORT's log, which names the missing one.
            return ProviderLogCapture.Capture(create).Result;
        }
        catch (ProviderLogCapture.CapturedException ex) when (ex.InnerException is OnnxRuntimeException ort)
        {
            throw ExecutionProviders.Unavailable(config.Provider, OrtErrors.Clean(ort.Message), ex.Lines, ort);
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtErrors.Wrap(ex, PgCode.SessionCreateFailed, "ONNX Runtime could not load the model", file);
        }
    }

    private static NodeMetadata[] ReadMetadata(IReadOnlyList<string> names, IReadOnlyDictionary<string, Microsoft.ML.OnnxRuntime.NodeMetadata> metadata)
    {
        var result = new NodeMetadata[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var m = metadata[names[i]];
            var kind = (OnnxValueKind)(int)m.OnnxValueType;
            result[i] = kind == OnnxValueKind.Tensor
                ? new NodeMetadata(names[i], kind, (TensorElementType)(int)m.ElementDataType, m.Dimensions.Select(static d => (long)d).ToArray(),
                    m.SymbolicDimensions.Select(static s => s ?? string.Empty).ToArray())
                : new NodeMetadata(names[i], kind, TensorElementType.Undefined, [], []);
        }

        return result;
    }
}
