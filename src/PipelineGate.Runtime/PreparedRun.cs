using Microsoft.ML.OnnxRuntime;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// One inference, set up once and run many times: inputs copied once into native tensors that ORT reads
/// in place, and (optionally) outputs preallocated, so that <see cref="Run"/> is ORT's Run and nothing
/// else. With preallocated outputs the run goes through an <see cref="OrtIoBinding"/> (one native call,
/// no per-call arrays or name lookups); without, through Run with name lists, adopting what ORT allocates.
/// Used by the latency engine; not thread-safe.
/// </summary>
public sealed class PreparedRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly OrtTensor[] _inputs;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _outputNames;
    private readonly OrtTensor?[] _outputs;
    private readonly RunOptions _runOptions;
    private OrtIoBinding? _binding;

    internal PreparedRun(InferenceSession session, IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<NodeMetadata> outputs, bool preallocateOutputs)
    {
        _session = session;
        _outputNames = outputs.Select(static o => o.Name).ToArray();
        _inputNames = inputs.Keys.ToArray();
        _inputs = new OrtTensor[_inputNames.Length];
        _outputs = new OrtTensor?[_outputNames.Length];
        _runOptions = new RunOptions();
        try
        {
            for (var i = 0; i < _inputNames.Length; i++)
            {
                _inputs[i] = OrtTensor.FromData(inputs[_inputNames[i]]);
            }

            _inputValues = _inputs.Select(static t => t.Value).ToArray();
            if (preallocateOutputs && outputs.All(static o => o.IsTensor && o.ElementType != TensorElementType.String))
            {
                // Learn output shapes from one run (they may depend on the inputs), then bind buffers of that shape.
                Run();
                _binding = session.Native.CreateIoBinding();
                for (var i = 0; i < _inputNames.Length; i++)
                {
                    _binding.BindInput(_inputNames[i], _inputValues[i]);
                }

                for (var i = 0; i < _outputs.Length; i++)
                {
                    var produced = _outputs[i]!;
                    var owned = OrtTensor.Allocate(produced.ElementType, produced.Shape.ToArray());
                    produced.Dispose();
                    _outputs[i] = owned;
                    _binding.BindOutput(_outputNames[i], owned.Value);
                }
            }
        }
        catch (OnnxRuntimeException ex)
        {
            Dispose();
            throw OrtErrors.Wrap(ex, PgCode.InputBindingFailed, "Binding inputs and outputs failed", session.ModelName);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>True when outputs are written into buffers allocated once.</summary>
    public bool OutputsPreallocated => _binding is not null;

    /// <summary>Runs inference once.</summary>
    public void Run()
    {
        if (_binding is { } binding)
        {
            try
            {
                _session.Native.RunWithBinding(_runOptions, binding);
            }
            catch (OnnxRuntimeException ex)
            {
                throw OrtErrors.Wrap(ex, PgCode.RunFailed, "Inference failed", _session.ModelName);
            }

            return;
        }

        ReleaseOutputs();
        IDisposableReadOnlyCollection<OrtValue> produced;
        try
        {
            produced = _session.Native.Run(_runOptions, _inputNames, _inputValues, _outputNames);
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtErrors.Wrap(ex, PgCode.RunFailed, "Inference failed", _session.ModelName);
        }

        // Each OrtValue is adopted (and later disposed) one by one; the collection itself holds nothing else.
        var i = 0;
        foreach (var value in produced)
        {
            _outputs[i] = Adopt(value, i);
            i++;
        }
    }

    /// <summary>The outputs of the last run as native tensors (owned by this object).</summary>
    public OrtTensor Output(int index) => _outputs[index] ?? throw new InvalidOperationException("Run has not been called.");

    /// <summary>Managed copies of the last run's outputs.</summary>
    public IReadOnlyDictionary<string, TensorData> ReadOutputs()
    {
        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        for (var i = 0; i < _outputs.Length; i++)
        {
            result[_outputNames[i]] = Output(i).ToTensorData();
        }

        return result;
    }

    public void Dispose()
    {
        _binding?.Dispose();
        _binding = null;
        ReleaseOutputs();
        foreach (var t in _inputs)
        {
            t?.Dispose();
        }

        _runOptions.Dispose();
    }

    private OrtTensor Adopt(OrtValue value, int i)
    {
        if (!value.IsTensor)
        {
            value.Dispose();
            throw new PipelineGateException(PgCode.RunFailed,
                $"Output '{_outputNames[i]}' is not a tensor (a sequence, map or optional); PipelineGate reads tensor outputs only.", _session.ModelName);
        }

        return OrtTensor.Adopt(value);
    }

    private void ReleaseOutputs()
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            _outputs[i]?.Dispose();
            _outputs[i] = null;
        }
    }
}
