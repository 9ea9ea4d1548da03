namespace PipelineGate.Gate.Config;

public sealed record ModelConfig
{
    public required string Name { get; init; }

    /// <summary>Absolute path of the model.</summary>
    public required string Path { get; init; }

    /// <summary>The path as written in the config, relative to the config's folder (used to find the model at the baseline ref).</summary>
    public required string RelativePath { get; init; }

    public DataConfig? Data { get; init; }

    /// <summary>Labelled sentence pairs for <c>similarity.spearman</c> (<c>data: { pairs }</c>), or null.</summary>
    public PairsConfig? Pairs { get; init; }

    /// <summary>Sizes of symbolic input dimensions (<c>dims: {{ width: 320 }}</c>) for random inputs and the compute estimate; others are filled with 1, and said so.</summary>
    public IReadOnlyDictionary<string, long> Dims { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The accuracy metric reported as "accuracy": top1, top5, f1, mae, rmse.</summary>
    public string Metric { get; init; } = PipelineGate.Measure.Evaluation.EvaluationMetrics.Default;

    public required IReadOnlyList<TargetConfig> Targets { get; init; }

    /// <summary>Variants to build, the original first (always present, named "original").</summary>
    public required IReadOnlyList<VariantConfig> Variants { get; init; }

    public required IReadOnlyList<BudgetConfig> Budgets { get; init; }

    public required MeasureConfig Measure { get; init; }

    /// <summary>An acknowledged change of the model's inputs or outputs (<c>accept-signature-change</c>), or null.</summary>
    public SignatureAcceptance? AcceptSignatureChange { get; init; }

    /// <summary>The custom-op libraries ONNX Runtime may load for this model (<c>custom-op-libraries</c>); none by default.</summary>
    public IReadOnlyList<Runtime.CustomOpLibrary> CustomOpLibraries { get; init; } = [];

    public required SourceLocation Location { get; init; }
}

/// <summary>
/// <c>accept-signature-change: { reason, from }</c>: the signature change away from the signature whose hash is
/// <see cref="From"/> is intended. It applies only while the baseline still has that signature.
/// </summary>
public sealed record SignatureAcceptance(string Reason, string From, SourceLocation Location);

/// <summary>Evaluation data: a .npy/.npz file, a folder of .npy files or ONNX test data sets, a CSV, or lines of text with a tokenizer.</summary>
public sealed record DataConfig(string Path, string RelativePath, string? Labels, IReadOnlyDictionary<string, string> Inputs, int? Limit, SourceLocation Location)
{
    /// <summary>A vocab.txt or tokenizer.json: <see cref="Path"/> is then a text file, one sample per line.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Tokens per text row at most; null: <see cref="Measure.Accuracy.EvalDataOptions.DefaultMaxLength"/>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The output compared (and, when [batch, sequence, hidden], mean-pooled over the attention mask); null: the first.</summary>
    public string? Output { get; init; }
}

/// <summary>
/// <c>data: { pairs, tokenizer, max-length, output }</c>: a CSV of s1,s2,score records (read by
/// <see cref="Measure.Text.SentencePairs"/>), both sentences tokenized with <see cref="Tokenizer"/>, for
/// <c>similarity.spearman</c>.
/// </summary>
public sealed record PairsConfig(string Path, string RelativePath, string Tokenizer, SourceLocation Location)
{
    /// <summary>Tokens per sentence at most; null: <see cref="Measure.Accuracy.EvalDataOptions.DefaultMaxLength"/>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The output embedded (mean-pooled when [batch, sequence, hidden]); null: the first.</summary>
    public string? Output { get; init; }
}

/// <summary>Where to measure: cpu, cuda or tensorrt, with threads and provider options.</summary>
public sealed record TargetConfig(string Name, Runtime.ExecutionProvider Provider, int Threads, bool Required, IReadOnlyDictionary<string, string> ProviderOptions, SourceLocation Location);

/// <summary>A variant: the original model, or the result of recipe steps applied in order (e.g. prune, then quantize).</summary>
public sealed record VariantConfig(string Name, IReadOnlyList<RecipeStep> Steps, SourceLocation Location)
{
    public const string OriginalName = "original";

    public bool IsOriginal => Steps.Count == 0;
}

/// <summary>One optimization step ("quantize", "prune") with its options as written.</summary>
public sealed record RecipeStep(string Kind, IReadOnlyDictionary<string, string> Options, SourceLocation Location)
{
    public override string ToString() =>
        Options.Count == 0 ? Kind : $"{Kind}({string.Join(", ", Options.OrderBy(static o => o.Key, StringComparer.Ordinal).Select(static o => $"{o.Key}={o.Value}"))})";
}

/// <summary>How timings are measured and judged.</summary>
public sealed record MeasureConfig
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int MinSamples { get; init; } = 60;

    public int MaxSamples { get; init; } = 5000;

    /// <summary>
    /// The noise band of timings, e.g. 0.05: the band ×/÷ (1 + threshold) standing in for an interval where a
    /// timing has none, and the extra margin a regression must clear against stored results (docs/config.md).
    /// </summary>
    public double Threshold { get; init; } = 0.05;

    public double Confidence { get; init; } = 0.95;

    /// <summary>
    /// Times an undecided A/B latency comparison (one standard error reaches past the threshold) is
    /// extended by another duration per model before it is judged.
    /// </summary>
    public int Extensions { get; init; } = 2;

    /// <summary>Times a failing timing is measured again before the failure stands.</summary>
    public int Remeasure { get; init; } = 1;

    /// <summary>Concurrent requests for the throughput metric (0: not measured unless a budget needs it, then 2).</summary>
    public int Concurrency { get; init; }

    public static MeasureConfig Default { get; } = new();
}

/// <summary>A named profile (pr, release...) that overrides budgets and measure settings.</summary>
public sealed record ProfileConfig(string Name, IReadOnlyList<ProfileBudget> Budgets, MeasureConfig? Measure, bool Ratchet, string? RatchetResults, SourceLocation Location);

/// <summary>A profile budget, optionally restricted to one model by name.</summary>
public sealed record ProfileBudget(string? Model, BudgetConfig Budget);
