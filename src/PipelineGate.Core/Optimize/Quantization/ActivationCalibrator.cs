using System.Globalization;
using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Collects activation statistics: a copy of the model exposes every tensor to calibrate as an extra
/// graph output, ONNX Runtime runs it over the calibration data batch by batch, and each batch is folded
/// into <see cref="ActivationStatistics"/> straight from ORT's output buffers and then released. Peak
/// memory is the statistics (O(tensors × bins)) plus one batch's activations; nothing grows with the
/// number of samples.
/// </summary>
internal static class ActivationCalibrator
{
    public static ActivationStatistics Run(ModelFile model, IReadOnlyCollection<string> tensors, string dataPath, CalibrationMethod method, IProgress<string>? log)
    {
        var graph = model.Model.Graph;
        var graphInputs = graph.Input.Select(static i => i.Name).ToHashSet(StringComparer.Ordinal);
        var wanted = tensors.ToHashSet(StringComparer.Ordinal);
        var augmented = model.Clone();
        var outputs = augmented.Model.Graph.Output.Select(static o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors.Where(t => !graphInputs.Contains(t) && !outputs.Contains(t)))
        {
            augmented.Model.Graph.Output.Add(new ValueInfoProto
            {
                Name = t,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorElementType.Float } },
            });
        }

        var statistics = new ActivationStatistics(tensors, method);
        var fetched = tensors.Where(t => !graphInputs.Contains(t)).ToArray();
        using var session = InferenceSession.Create(augmented.ToByteArray(), model.DisplayPath, SessionConfig.Default with { IntraOpThreads = 0 });
        using var data = CalibrationData.Open(dataPath, session);
        if (data.Count == 0)
        {
            throw new PipelineGateException(PgCode.CalibrationDataMissing, "The calibration data holds no samples.", dataPath,
                hint: "Point 'calibration' at a few hundred representative input samples.");
        }

        var batchSize = CalibrationData.BatchSize(session, data);
        var samples = 0;
        foreach (var batch in CalibrationData.Batches(data, batchSize, CalibrationData.HasFixedBatch(session)))
        {
            foreach (var (name, tensor) in batch.Inputs)
            {
                if (graphInputs.Contains(name) && wanted.Contains(name) && tensor.ElementType == TensorElementType.Float)
                {
                    statistics.Fold(name, tensor.AsSpan<float>());
                }
            }

            using (var run = session.Prepare(batch.Inputs, fetched, preallocateOutputs: false))
            {
                run.Run();
                for (var i = 0; i < fetched.Length; i++)
                {
                    var output = run.Output(i);
                    if (output.ElementType == TensorElementType.Float)
                    {
                        statistics.Fold(fetched[i], MemoryMarshal.Cast<byte, float>(output.Bytes));
                    }
                }
            }

            statistics.EndBatch();
            samples += batch.Count;
        }

        if (samples == 0)
        {
            throw new PipelineGateException(PgCode.CalibrationDataMissing,
                $"The calibration data has {data.Count} sample(s), fewer than the model's fixed batch size {batchSize}.", dataPath);
        }

        log?.Report(string.Create(CultureInfo.InvariantCulture, $"calibrated {tensors.Count} tensors on {samples} samples in {statistics.Batches} batches ({method})"));
        return statistics;
    }
}
