using PipelineGate.Runtime.Handles;
using PipelineGate.Runtime.Native;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// Inference through an ORT IoBinding: inputs and outputs bound once to native buffers (outputs
/// sized from one warm-up run), then <see cref="Run"/> is RunWithBinding alone. This is the path that
/// keeps data on the device for GPU providers; on CPU it is equivalent to <see cref="PreparedRun"/>.
/// </summary>
public sealed class IoBindingRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IoBindingHandle _binding;
    private readonly RunOptionsHandle _runOptions;
    private readonly OrtTensor[] _inputs;
    private readonly OrtTensor[] _outputs;

    internal IoBindingRun(InferenceSession session, IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<NodeMetadata> outputs)
    {
        _session = session;
        var api = OrtApi.Instance;
        OutputNames = outputs.Select(static o => o.Name).ToArray();

        // Output shapes can depend on the inputs: take them from one ordinary run.
        var shapes = session.Run(inputs, OutputNames);
        _binding = new IoBindingHandle(api.CreateIoBinding(session.Handle));
        _runOptions = new RunOptionsHandle(api.CreateRunOptions());
        _inputs = inputs.Select(static kv => OrtTensor.FromData(kv.Value)).ToArray();
        _outputs = OutputNames.Select(n => OrtTensor.Allocate(shapes[n].ElementType, shapes[n].ShapeArray())).ToArray();
        var names = inputs.Keys.ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            api.Bind(OrtApiSlot.BindInput, _binding.DangerousGetHandle(), names[i], _inputs[i].Pointer);
        }

        for (var i = 0; i < _outputs.Length; i++)
        {
            api.Bind(OrtApiSlot.BindOutput, _binding.DangerousGetHandle(), OutputNames[i], _outputs[i].Pointer);
        }
    }

    public IReadOnlyList<string> OutputNames { get; }

    public void Run() => OrtApi.Instance.RunWithBinding(_session.Handle, _runOptions.DangerousGetHandle(), _binding.DangerousGetHandle(), _session.ModelName);

    public OrtTensor Output(int index) => _outputs[index];

    public IReadOnlyDictionary<string, TensorData> ReadOutputs() =>
        OutputNames.Select((n, i) => (n, _outputs[i].ToTensorData())).ToDictionary(static x => x.n, static x => x.Item2, StringComparer.Ordinal);

    public void Dispose()
    {
        var api = OrtApi.Instance;
        if (!_binding.IsClosed)
        {
            api.ClearBinding(OrtApiSlot.ClearBoundInputs, _binding.DangerousGetHandle());
            api.ClearBinding(OrtApiSlot.ClearBoundOutputs, _binding.DangerousGetHandle());
        }

        _binding.Dispose();
        _runOptions.Dispose();
        foreach (var t in _inputs.Concat(_outputs))
        {
            t.Dispose();
        }
    }
}
