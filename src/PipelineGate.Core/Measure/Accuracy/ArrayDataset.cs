using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>An evaluation set made of named sample-major arrays (.npy, folder of .npy, .npz, CSV).</summary>
internal sealed class ArrayDataset : IEvalDataset
{
    private readonly IReadOnlyList<(string Input, IArraySource Array)> _inputs;
    private readonly IArraySource? _labels;
    private readonly IReadOnlyList<IDisposable> _owned;

    private ArrayDataset(
        string source,
        EvalDataFormat format,
        IReadOnlyList<(string Input, IArraySource Array)> inputs,
        IArraySource? labels,
        int count,
        IReadOnlyList<IDisposable> owned)
    {
        Source = source;
        Format = format;
        _inputs = inputs;
        _labels = labels;
        _owned = owned;
        Count = count;
        InputNames = inputs.Select(static i => i.Input).ToArray();
    }

    public string Source { get; }

    public EvalDataFormat Format { get; }

    public IReadOnlyList<string> InputNames { get; }

    public int Count { get; }

    public string? LabelName => _labels?.ArrayName;

    public IReadOnlyList<string> ReferenceOutputNames => [];

    /// <summary>
    /// Maps model inputs to the arrays of a container, checks them and their sample counts, and owns
    /// <paramref name="owned"/> (archives, streams) from then on, disposing it on failure too.
    /// </summary>
    public static ArrayDataset Bind(
        string source,
        EvalDataFormat format,
        EvalDataOptions options,
        IReadOnlyList<string> available,
        Func<string, IArraySource> open,
        Func<string, string> expectation,
        string missingHint,
        string? labelName,
        IReadOnlyList<IDisposable> owned)
    {
        var disposables = new List<IDisposable>(owned);
        try
        {
            var names = available.ToHashSet(StringComparer.Ordinal);
            var requested = DataChecks.Requested(options, oneSourcePerInput: true, source);
            var pairs = requested?.Select(static r => (r.Input, Array: r.Sources[0])).ToList()
                ?? available.Where(n => !string.Equals(n, labelName, StringComparison.Ordinal)).Select(static n => (Input: n, Array: n)).ToList();

            var inputs = new List<(string, IArraySource)>(pairs.Count);
            foreach (var (input, arrayName) in pairs)
            {
                if (!names.Contains(arrayName))
                {
                    throw DataChecks.MissingInput(input, expectation(arrayName), source, available, missingHint);
                }

                var array = open(arrayName);
                disposables.Add(array);
                DataChecks.CheckArray(DataChecks.ModelInput(options, input), array, format);
                inputs.Add((input, array));
            }

            IArraySource? labels = null;
            if (labelName is not null)
            {
                if (!names.Contains(labelName))
                {
                    throw DataChecks.MissingLabel(labelName, expectation(labelName), source, available);
                }

                labels = open(labelName);
                disposables.Add(labels);
            }

            var count = DataChecks.SampleCount(inputs, labels);
            return new ArrayDataset(source, format, inputs, labels, count, owned.Concat(inputs.Select(static i => (IDisposable)i.Item2)).Concat(labels is null ? [] : [labels]).ToArray());
        }
        catch
        {
            foreach (var d in disposables)
            {
                d.Dispose();
            }

            throw;
        }
    }

    public EvalBatch ReadBatch(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);
        var inputs = new Dictionary<string, TensorData>(_inputs.Count, StringComparer.Ordinal);
        foreach (var (input, array) in _inputs)
        {
            inputs[input] = array.ReadRows(start, count);
        }

        return new EvalBatch(start, count, inputs, _labels?.ReadRows(start, count));
    }

    public void Dispose()
    {
        // Sources first: they may read through an archive that is among the owned objects.
        foreach (var d in _owned.Reverse())
        {
            d.Dispose();
        }
    }
}
