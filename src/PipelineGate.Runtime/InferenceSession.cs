using PipelineGate.Diagnostics;
using PipelineGate.Runtime.Handles;
using PipelineGate.Runtime.Native;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// A loaded model ready to run. <see cref="Run"/> is safe to call from several threads at once (ORT
/// allows concurrent Run on one session); a <see cref="PreparedRun"/> or <see cref="IoBindingRun"/>
/// belongs to one thread at a time.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly SessionHandle _handle;

    private InferenceSession(SessionHandle handle, string modelName, SessionConfig config)
    {
        _handle = handle;
        ModelName = modelName;
        Config = config;
        var api = OrtApi.Instance;
        var h = handle.DangerousGetHandle();
        Inputs = ReadMetadata(h, api.GetCount(OrtApiSlot.SessionGetInputCount, h), OrtApiSlot.SessionGetInputName, OrtApiSlot.SessionGetInputTypeInfo);
        Outputs = ReadMetadata(h, api.GetCount(OrtApiSlot.SessionGetOutputCount, h), OrtApiSlot.SessionGetOutputName, OrtApiSlot.SessionGetOutputTypeInfo);
    }

    public string ModelName { get; }

    public SessionConfig Config { get; }

    public IReadOnlyList<NodeMetadata> Inputs { get; }

    public IReadOnlyList<NodeMetadata> Outputs { get; }

    internal nint Handle => _handle.DangerousGetHandle();

    /// <summary>Loads a model file (external data is resolved beside it by ORT).</summary>
    public static InferenceSession Create(string modelPath, SessionConfig? config = null)
    {
        config ??= SessionConfig.Default;
        var env = OrtEnvironment.Handle;
        using var options = SessionOptionsFactory.Create(config);
        var handle = new SessionHandle(OrtApi.Instance.CreateSession(env, Path.GetFullPath(modelPath), options.DangerousGetHandle()));
        return new InferenceSession(handle, modelPath, config);
    }

    /// <summary>Loads a model from memory; ORT parses the bytes during the call and keeps no reference to them.</summary>
    public static InferenceSession Create(ReadOnlySpan<byte> model, string displayName, SessionConfig? config = null)
    {
        config ??= SessionConfig.Default;
        var env = OrtEnvironment.Handle;
        using var options = SessionOptionsFactory.Create(config);
        var handle = new SessionHandle(OrtApi.Instance.CreateSessionFromArray(env, model, options.DangerousGetHandle(), displayName));
        return new InferenceSession(handle, displayName, config);
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
    public string EndProfiling() => OrtApi.Instance.EndProfiling(Handle);

    public void Dispose() => _handle.Dispose();

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
                    $"Input '{input.Name}' expects shape {input.ShapeText}, but the data has shape [{string.Join(",", data.Shape)}].",
                    ModelName, hint: "Reshape the data to the model's input shape.");
            }
        }
    }

    private static NodeMetadata[] ReadMetadata(nint session, nuint count, OrtApiSlot nameSlot, OrtApiSlot typeSlot)
    {
        var api = OrtApi.Instance;
        var result = new NodeMetadata[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            var name = api.GetName(nameSlot, session, i);
            using var typeInfo = new TypeInfoHandle(api.GetTypeInfo(typeSlot, session, i));
            var kind = (OnnxValueKind)api.GetOnnxType(typeInfo.DangerousGetHandle());
            var tensorInfo = kind == OnnxValueKind.Tensor ? api.CastTypeInfoToTensorInfo(typeInfo.DangerousGetHandle()) : 0;
            if (tensorInfo != 0)
            {
                var (elementType, dims, symbols) = api.ReadTensorInfo(tensorInfo);
                result[(int)i] = new NodeMetadata(name, kind, (TensorElementType)elementType, dims, symbols);
            }
            else
            {
                result[(int)i] = new NodeMetadata(name, kind, TensorElementType.Undefined, [], []);
            }
        }

        return result;
    }
}
