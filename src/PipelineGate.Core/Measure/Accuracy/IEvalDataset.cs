using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// An evaluation set read batch by batch: the model inputs for every sample, optional labels and,
/// for ONNX test data sets, the expected ("reference") outputs. Readers keep only what a batch needs
/// in memory where the file format allows random access (.npy, stored or deflated .npz entries read
/// forward, test data sets one set at a time); CSV is parsed whole when opened so that a bad cell
/// fails before any model runs. Instances are not thread-safe.
/// </summary>
public interface IEvalDataset : IDisposable
{
    /// <summary>The file or folder the data comes from, as given to <see cref="EvalDatasetLoader.Open"/>.</summary>
    string Source { get; }

    /// <summary>The format that was read (never <see cref="EvalDataFormat.Auto"/>).</summary>
    EvalDataFormat Format { get; }

    /// <summary>Model input names, in the order of the model's inputs when they were given.</summary>
    IReadOnlyList<string> InputNames { get; }

    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>The name of the label array or column; null when the set has no labels.</summary>
    string? LabelName { get; }

    /// <summary>Names of expected outputs stored with the data (ONNX test data sets); empty otherwise.</summary>
    IReadOnlyList<string> ReferenceOutputNames { get; }

    /// <summary>
    /// Reads samples <paramref name="start"/> .. start+count-1. Every tensor in the batch has
    /// <paramref name="count"/> as its leading dimension.
    /// </summary>
    EvalBatch ReadBatch(int start, int count);

    /// <summary>Reads the whole set in consecutive batches of at most <paramref name="batchSize"/> samples.</summary>
    IEnumerable<EvalBatch> ReadBatches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Iterate(this, batchSize);

        static IEnumerable<EvalBatch> Iterate(IEvalDataset set, int size)
        {
            for (var start = 0; start < set.Count; start += size)
            {
                yield return set.ReadBatch(start, Math.Min(size, set.Count - start));
            }
        }
    }
}
