using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// Inference through an ORT IoBinding: inputs and outputs bound once to native buffers (outputs sized
/// from one warm-up run), then <see cref="Run"/> is RunWithBinding alone. This is the path that keeps
/// data on the device for GPU providers; on CPU it is what <see cref="PreparedRun"/> does with
/// preallocated outputs.
/// </summary>
public sealed class IoBindingRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly OrtTensor[] _inputs;
    private readonly OrtTensor[] _outputs;

    internal IoBindingRun(InferenceSession session, IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<NodeMetadata> outputs)
    {
        _session = session;
        OutputNames = outputs.Select(static o => o.Name).ToArray();

        // Output shapes can depend on the inputs: take them from one ordinary run.
        var shapes = session.Run(inputs, OutputNames);
        _binding = session.Native.CreateIoBinding();
        _runOptions = new RunOptions();
        _inputs = inputs.Select(static kv => OrtTensor.FromData(kv.Value)).ToArray();
        _outputs = OutputNames.Select(n => OrtTensor.Allocate(shapes[n].ElementType, shapes[n].ShapeArray())).ToArray();
        var names = inputs.Keys.ToArray();
        OrtErrors.Call(() =>
        {
            for (var i = 0; i < names.Length; i++)
            {
                _binding.BindInput(names[i], _inputs[i].Value);
            }

            for (var i = 0; i < _outputs.Length; i++)
            {
                _binding.BindOutput(OutputNames[i], _outputs[i].Value);
            }
        }, PgCode.InputBindingFailed, "Binding inputs and outputs failed", session.ModelName);
    }

    public IReadOnlyList<string> OutputNames { get; }

    public void Run() => OrtErrors.Call(() => _session.Native.RunWithBinding(_runOptions, _binding), PgCode.RunFailed, "Inference failed", _session.ModelName);

    public OrtTensor Output(int index) => _outputs[index];

    public IReadOnlyDictionary<string, TensorData> ReadOutputs() =>
        OutputNames.Select((n, i) => (n, _outputs[i].ToTensorData())).ToDictionary(static x => x.n, static x => x.Item2, StringComparer.Ordinal);

    public void Dispose()
    {
        _binding.ClearBoundInputs();
        _binding.ClearBoundOutputs();
        _binding.Dispose();
        _runOptions.Dispose();
        foreach (var t in _inputs.Concat(_outputs))
        {
            t.Dispose();
        }
    }
}
