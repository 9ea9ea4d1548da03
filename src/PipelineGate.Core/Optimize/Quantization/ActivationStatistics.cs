namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Per-tensor running statistics of calibration activations, folded batch by batch. Memory is
/// O(tensors × bins): MinMax keeps two floats per tensor, Percentile, Entropy and Auto one
/// <see cref="TensorHistogram"/> of <see cref="TensorHistogram.DefaultBins"/> bins per tensor. Nothing
/// depends on the number of samples or batches; <see cref="StateBytes"/> reports the exact figure.
/// </summary>
internal sealed class ActivationStatistics
{
    private readonly Dictionary<string, RunningRange> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorHistogram> _histograms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ((float Min, float Max) Range, CalibrationMethod Method)> _chosen = new(StringComparer.Ordinal);

    public ActivationStatistics(IEnumerable<string> tensors, CalibrationMethod method, int bins = TensorHistogram.DefaultBins)
    {
        Method = method;
        foreach (var t in tensors)
        {
            if (method == CalibrationMethod.MinMax)
            {
                _ranges[t] = new RunningRange();
            }
            else
            {
                _histograms[t] = new TensorHistogram(bins);
            }
        }
    }

    public CalibrationMethod Method { get; }

    public IEnumerable<string> Tensors => Method == CalibrationMethod.MinMax ? _ranges.Keys : _histograms.Keys;

    /// <summary>Batches folded so far.</summary>
    public long Batches { get; private set; }

    /// <summary>Bytes of statistics state (dictionary overhead excluded): independent of the data's size.</summary>
    public long StateBytes => (_ranges.Count * RunningRange.Bytes) + _histograms.Values.Sum(static h => h.StateBytes);

    public void Fold(string tensor, ReadOnlySpan<float> values)
    {
        if (_histograms.TryGetValue(tensor, out var histogram))
        {
            histogram.Fold(values);
        }
        else
        {
            _ranges[tensor].Fold(values);
        }
    }

    public void EndBatch() => Batches++;

    /// <summary>Values folded for a tensor that were NaN or infinite.</summary>
    public long NonFinite(string tensor) => _histograms.TryGetValue(tensor, out var h) ? h.NonFinite : _ranges[tensor].NonFinite;

    /// <summary>True when the tensor has seen at least one finite value.</summary>
    public bool HasData(string tensor) => _histograms.TryGetValue(tensor, out var h) ? h.Total > 0 : _ranges[tensor].Min <= _ranges[tensor].Max;

    /// <summary>The calibrated range [min, max] of a tensor by the method; clipping thresholds never widen the observed range.</summary>
    public (float Min, float Max) Range(string tensor)
    {
        if (!_histograms.TryGetValue(tensor, out var h))
        {
            var r = _ranges[tensor];
            return r.Min <= r.Max ? (r.Min, r.Max) : (0f, 0f);
        }

        if (h.Total == 0)
        {
            return (0f, 0f);
        }

        return Method == CalibrationMethod.Auto ? Chosen(tensor).Range : CalibrationChoice.Range(h, Method);
    }

    /// <summary>With method auto: the range and the method chosen for a tensor (computed once).</summary>
    public ((float Min, float Max) Range, CalibrationMethod Method) Chosen(string tensor)
    {
        if (!_chosen.TryGetValue(tensor, out var choice))
        {
            _chosen[tensor] = choice = CalibrationChoice.Choose(_histograms[tensor]);
        }

        return choice;
    }

    public TensorHistogram? Histogram(string tensor) => _histograms.GetValueOrDefault(tensor);

    private sealed class RunningRange
    {
        public const int Bytes = 16;

        public float Min { get; private set; } = float.PositiveInfinity;

        public float Max { get; private set; } = float.NegativeInfinity;

        public long NonFinite { get; private set; }

        public void Fold(ReadOnlySpan<float> values)
        {
            var (min, max, nonFinite) = TensorHistogram.Scan(values);
            NonFinite += nonFinite;
            Min = Math.Min(Min, min);
            Max = Math.Max(Max, max);
        }
    }
}
