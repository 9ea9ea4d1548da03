using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Measures how far a quantized candidate is from the float model on a bounded subset of evaluation
/// (or calibration) data. The inputs and the float model's first output are read once and kept for
/// at most <see cref="MaxSamples"/> samples and <see cref="MaxValues"/> stored values.
/// <para>
/// The drop that the accuracy budget limits: with labels and class scores [N, C], the top-1 accuracy
/// of the float model minus the candidate's; without labels, 1 − top-1 agreement with the float model
/// for class scores, and 1 − mean cosine similarity per sample for any other output (e.g. a
/// probability map). With a named metric (<c>max-drop-metric</c>) the drop is that metric's instead:
/// 1 − mean cosine (<c>fidelity.cosine</c>), 1 − the lowest per-sample cosine (<c>fidelity.cosine-min</c>),
/// 1 − top-1 agreement (<c>fidelity.top1-agreement</c>, class scores only) or the relative L2 error
/// (<c>relative-l2</c>). Per-node sensitivity is the relative L2 error of the first output on the first
/// <see cref="SensitivitySamples"/> samples.
/// </para>
/// <para>
/// Text data (lines and a tokenizer) is compared as evaluation compares it: a [batch, sequence, hidden] output is
/// mean-pooled over the attention mask into one sentence embedding per line first, so the drop is stated in the
/// gate's own <c>fidelity.cosine</c> and padding positions (whose hidden states mean nothing) do not count.
/// </para>
/// </summary>
internal sealed class FallbackEvaluator
{
    public const int MaxSamples = 256;
    public const int SensitivitySamples = 32;
    private const long MaxValues = 32L << 20;

    private readonly List<Dictionary<string, TensorData>> _inputs = [];
    private readonly List<TensorData> _reference = [];
    private readonly List<long[]?> _labels = [];
    private readonly string _output;
    private string? _poolMask;
    private bool _pooledEmbeddings;

    private FallbackEvaluator(string source, string output, string? metric)
    {
        Source = source;
        _output = output;
        Metric = metric;
    }

    /// <summary>The named metric the drop is stated in, or null for the default by output kind (see the class summary).</summary>
    public string? Metric { get; }

    public string Source { get; }

    public int Samples { get; private set; }

    public bool HasLabels => _labels.Count > 0 && _labels.All(static l => l is not null);

    public string MetricName => Metric switch
    {
        "fidelity.cosine" => "1 − fidelity.cosine",
        "fidelity.cosine-min" => "1 − fidelity.cosine-min",
        "fidelity.top1-agreement" => "1 − fidelity.top1-agreement",
        "relative-l2" => "relative-l2",
        _ => HasLabels && ClassScores ? "top-1 accuracy drop" : ClassScores ? "1 − top-1 agreement" : "1 − mean cosine similarity",
    };

    /// <summary>The metric the fallback held and the value a drop corresponds to, e.g. "fidelity.cosine 0.9912".</summary>
    public string Held(double drop) => Metric switch
    {
        "relative-l2" => string.Create(CultureInfo.InvariantCulture, $"relative-l2 {drop:0.0000}"),
        null when HasLabels && ClassScores => string.Create(CultureInfo.InvariantCulture, $"top-1 accuracy drop {drop:0.0000}"),
        null => string.Create(CultureInfo.InvariantCulture, $"{(ClassScores ? "fidelity.top1-agreement" : "fidelity.cosine")} {1 - drop:0.0000}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Metric} {1 - drop:0.0000}"),
    };

    public static FallbackEvaluator Create(ModelFile reference, string path, IReadOnlyDictionary<string, string>? mapping, string? labels, int? limit, string? metric = null, CalibrationData.TextInputs? text = null)
    {
        using var session = InferenceSession.Create(reference.ToByteArray(), reference.DisplayPath, SessionConfig.Default with { IntraOpThreads = 0 });
        using var data = CalibrationData.Open(path, session, mapping, labels, text);
        var evaluator = new FallbackEvaluator(path, session.Outputs[0].Name, metric).Load(session, data, limit);
        if (metric == "fidelity.top1-agreement" && !evaluator.ClassScores)
        {
            var shape = evaluator._reference.Count > 0 ? "[" + string.Join(", ", evaluator._reference[0].Shape) + "]" : "unknown";
            throw new PipelineGateException(PgCode.MaxDropMetricNotApplicable,
                $"max-drop-metric fidelity.top1-agreement needs class scores [N, C] as the model's first output; '{session.Outputs[0].Name}' has shape {shape}.",
                reference.DisplayPath, hint: "Use max-drop-metric: fidelity.cosine (or fidelity.cosine-min, relative-l2) for a map or embedding output.");
        }

        return evaluator;
    }

    private FallbackEvaluator Load(InferenceSession session, IEvalDataset data, int? limit)
    {
        var batchSize = CalibrationData.BatchSize(session, data);
        _poolMask = data is Measure.Text.TextDataset text ? text.AttentionMaskName ?? "" : null;
        long values = 0;
        foreach (var batch in CalibrationData.Batches(data, batchSize, CalibrationData.HasFixedBatch(session), Math.Min(limit ?? MaxSamples, MaxSamples)))
        {
            var output = Pooled(session.Run(batch.Inputs, [_output])[_output], batch.Inputs);
            values += output.ElementCount + batch.Inputs.Values.Sum(static t => t.ElementCount);
            if (values > MaxValues && Samples > 0)
            {
                break;
            }

            _inputs.Add(batch.Inputs.ToDictionary(static kv => kv.Key, static kv => kv.Value, StringComparer.Ordinal));
            _reference.Add(output);
            _labels.Add(batch.Labels is { } l ? l.ToDoubleArray().Select(static v => (long)v).ToArray() : null);
            Samples += batch.Count;
        }

        return this;
    }

    /// <summary>Class scores [N, C]: a rank-2 first output, unless it is sentence embeddings pooled from a text encoder's hidden states.</summary>
    private bool ClassScores => !_pooledEmbeddings && _reference.Count > 0 && _reference[0].Rank == 2 && _reference[0].Shape[1] >= 2;

    /// <summary>Relative L2 error of the candidate's first output on the sensitivity subset.</summary>
    public double Error(ModelFile candidate) => Compare(candidate, SensitivityBatchCount()).Fidelity.RelativeL2;

    /// <summary>The budgeted drop (see the class summary) over every stored sample.</summary>
    public double Drop(ModelFile candidate)
    {
        var (fidelity, accuracy) = Compare(candidate, _inputs.Count);
        switch (Metric)
        {
            case "fidelity.cosine":
                return 1 - fidelity.MeanCosineSimilarity;
            case "fidelity.cosine-min":
                return 1 - fidelity.MinCosineSimilarity;
            case "fidelity.top1-agreement":
                return 1 - (fidelity.Top1Agreement ?? 0);
            case "relative-l2":
                return fidelity.RelativeL2;
        }

        if (HasLabels && ClassScores)
        {
            return ReferenceAccuracy() - accuracy;
        }

        return ClassScores ? 1 - (fidelity.Top1Agreement ?? 0) : 1 - fidelity.MeanCosineSimilarity;
    }

    public FidelityMetrics Fidelity(ModelFile candidate) => Compare(candidate, _inputs.Count).Fidelity;

    /// <summary>One line for the notes describing the candidate's fidelity.</summary>
    public string Describe(ModelFile candidate)
    {
        var (f, accuracy) = Compare(candidate, _inputs.Count);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"fidelity vs float on {Samples} sample(s) of {Path.GetFileName(Source.TrimEnd('/', '\\'))}: cosine {f.MeanCosineSimilarity:0.0000}, relative L2 {f.RelativeL2:0.0000}");
        if (ClassScores)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", top-1 agreement {f.Top1Agreement:0.0000}");
        }

        if (HasLabels && ClassScores)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", top-1 accuracy {ReferenceAccuracy():0.0000} → {accuracy:0.0000}");
        }

        return text;
    }

    private int SensitivityBatchCount()
    {
        var samples = 0;
        for (var i = 0; i < _inputs.Count; i++)
        {
            samples += (int)_reference[i].Shape[0];
            if (samples >= SensitivitySamples)
            {
                return i + 1;
            }
        }

        return _inputs.Count;
    }

    private double ReferenceAccuracy()
    {
        long correct = 0, total = 0;
        for (var i = 0; i < _reference.Count; i++)
        {
            (var c, var t) = Correct(_reference[i], _labels[i]!);
            correct += c;
            total += t;
        }

        return total == 0 ? 0 : (double)correct / total;
    }

    private (FidelityMetrics Fidelity, double Accuracy) Compare(ModelFile candidate, int batches)
    {
        using var session = InferenceSession.Create(candidate.ToByteArray(), candidate.DisplayPath, SessionConfig.Default with { IntraOpThreads = 0 });
        var accumulator = new FidelityAccumulator();
        long correct = 0, total = 0;
        for (var i = 0; i < batches; i++)
        {
            var output = Pooled(session.Run(_inputs[i], [_output])[_output], _inputs[i]);
            accumulator.Add(output, _reference[i]);
            if (_labels[i] is { } labels && ClassScores)
            {
                var (c, t) = Correct(output, labels);
                correct += c;
                total += t;
            }
        }

        return (accumulator.Result(), total == 0 ? 0 : (double)correct / total);
    }

    /// <summary>For text data, a [batch, sequence, hidden] output as sentence embeddings [batch, hidden] (masked mean, as evaluation pools); any other output as it is.</summary>
    private TensorData Pooled(TensorData output, IReadOnlyDictionary<string, TensorData> inputs)
    {
        if (_poolMask is null || output.Rank != 3)
        {
            return output;
        }

        _pooledEmbeddings = true;
        var pooled = Measure.Text.SentenceEmbeddings.Pool(output, _poolMask.Length > 0 ? inputs[_poolMask] : null, _output);
        return TensorData.Create(pooled, output.Shape[0], output.Shape[2]);
    }

    private static (long Correct, long Total) Correct(TensorData scores, long[] labels)
    {
        var values = scores.ToDoubleArray();
        var classes = (int)scores.Shape[1];
        long correct = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            var row = values.AsSpan(r * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                best = row[c] > row[best] ? c : best;
            }

            correct += best == labels[r] ? 1 : 0;
        }

        return (correct, labels.Length);
    }
}
