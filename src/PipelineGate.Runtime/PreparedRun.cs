using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;
using PipelineGate.Runtime.Native;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// One inference, set up once and run many times: inputs copied to native memory, input and output
/// names marshalled, and (optionally) outputs preallocated, so that <see cref="Run"/> is the native
/// call and nothing else. Used by the latency engine; not thread-safe.
/// </summary>
public sealed unsafe class PreparedRun : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtTensor[] _inputs;
    private readonly NativeStringArray _inputNames;
    private readonly NativeStringArray _outputNames;
    private readonly nint* _inputValues;
    private readonly nint* _outputValues;
    private readonly OrtTensor?[] _outputs;
    private readonly bool _preallocated;

    internal PreparedRun(InferenceSession session, IReadOnlyDictionary<string, TensorData> inputs, IReadOnlyList<NodeMetadata> outputs, bool preallocateOutputs)
    {
        _session = session;
        OutputNames = outputs.Select(static o => o.Name).ToArray();
        var names = inputs.Keys.ToArray();
        _inputs = new OrtTensor[names.Length];
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                _inputs[i] = OrtTensor.FromData(inputs[names[i]]);
            }
        }
        catch
        {
            foreach (var t in _inputs)
            {
                t?.Dispose();
            }

            throw;
        }

        _inputNames = new NativeStringArray(names);
        _outputNames = new NativeStringArray(OutputNames);
        _inputValues = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, names.Length), (nuint)sizeof(nint));
        _outputValues = (nint*)NativeMemory.AllocZeroed((nuint)Math.Max(1, OutputNames.Count), (nuint)sizeof(nint));
        for (var i = 0; i < names.Length; i++)
        {
            _inputValues[i] = _inputs[i].Pointer;
        }

        _outputs = new OrtTensor?[OutputNames.Count];
        if (preallocateOutputs && outputs.All(static o => o.IsTensor && o.ElementType != TensorElementType.String))
        {
            // Learn output shapes from one run (they may depend on the inputs), then bind buffers of that shape.
            try
            {
                Run();
            }
            catch
            {
                Dispose();
                throw;
            }

            for (var i = 0; i < _outputs.Length; i++)
            {
                var produced = _outputs[i]!;
                var owned = OrtTensor.Allocate(produced.ElementType, produced.Shape.ToArray());
                produced.Dispose();
                _outputs[i] = owned;
                _outputValues[i] = owned.Pointer;
            }

            _preallocated = true;
        }
    }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>True when outputs are written into buffers allocated once.</summary>
    public bool OutputsPreallocated => _preallocated;

    /// <summary>
    /// The native arguments of <see cref="Run"/> (session, name and value arrays), so that a benchmark
    /// can drive the identical call from C and compare the per-call overhead of this binding.
    /// </summary>
    internal (nint Session, nint InputNames, nint InputValues, nuint InputCount, nint OutputNames, nuint OutputCount, nint OutputValues) NativeArguments =>
        (_session.Handle, _inputNames.Pointer, (nint)_inputValues, (nuint)_inputs.Length, _outputNames.Pointer, (nuint)_outputs.Length, (nint)_outputValues);

    /// <summary>Runs inference once.</summary>
    public void Run()
    {
        if (!_preallocated)
        {
            ReleaseOutputs();
        }

        OrtApi.Instance.Run(_session.Handle, 0, (nint*)_inputNames.Pointer, _inputValues, (nuint)_inputs.Length,
            (nint*)_outputNames.Pointer, (nuint)_outputs.Length, _outputValues, _session.ModelName);
        if (!_preallocated)
        {
            for (var i = 0; i < _outputs.Length; i++)
            {
                _outputs[i] = AdoptOutput(i);
            }
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
            result[OutputNames[i]] = Output(i).ToTensorData();
        }

        return result;
    }

    public void Dispose()
    {
        ReleaseOutputs();
        foreach (var t in _inputs)
        {
            t.Dispose();
        }

        _inputNames.Dispose();
        _outputNames.Dispose();
        NativeMemory.Free(_inputValues);
        NativeMemory.Free(_outputValues);
    }

    private OrtTensor AdoptOutput(int i)
    {
        var value = _outputValues[i];
        _outputValues[i] = 0;
        var api = OrtApi.Instance;
        int isTensor;
        api.Check(((delegate* unmanaged<nint, int*, nint>)api[OrtApiSlot.IsTensor])(value, &isTensor), PgCode.RunFailed, "Reading an output failed");
        if (isTensor == 0)
        {
            api.Release(OrtApiSlot.ReleaseValue, value);
            throw new PipelineGateException(PgCode.RunFailed,
                $"Output '{OutputNames[i]}' is not a tensor (a sequence, map or optional); PipelineGate reads tensor outputs only.", _session.ModelName);
        }

        return OrtTensor.Adopt(value);
    }

    private void ReleaseOutputs()
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            _outputs[i]?.Dispose();
            _outputs[i] = null;
            _outputValues[i] = 0;
        }
    }
}
