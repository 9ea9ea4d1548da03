using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Options of the quantize recipe step, as written in pipelinegate.yml or on the command line.</summary>
public sealed record QuantizeOptions
{
    /// <summary>dynamic, static, fp16 or int4.</summary>
    public string Mode { get; init; } = "dynamic";

    public bool PerChannel { get; init; } = true;

    /// <summary>
    /// Weight type of dynamic quantization as it is applied: uint8 (asymmetric) or int8 (symmetric). Written
    /// <c>auto</c> (the default), it is int8 on a CPU with VNNI (AVX-512 VNNI, AVX-VNNI or AMX int8) and uint8
    /// on one without. Why: on x86 CPUs without VNNI, ORT's u8·s8 kernel multiplies with VPMADDUBSW, whose int16
    /// pair sums saturate for full-range int8 weights (measured: errors 10× the rounding bound on AVX2), while
    /// uint8 weights take the u8·u8 path, which widens before multiplying and is correct everywhere; with VNNI
    /// the u8·s8 kernel accumulates in int32 (VPDPBUSD), has no such saturation and is much faster: all-MiniLM-L6-v2
    /// on an AMD EPYC with AVX-512 VNNI ran at 0.40× of fp32 with int8 weights and 0.70× with uint8 weights
    /// (docs/performance.md, "The weight type on a VNNI CPU"). A model that will ship to CPUs without VNNI should
    /// pin <c>weight-type: uint8</c>; the variant's notes say which type <c>auto</c> chose and why.
    /// </summary>
    public string WeightType { get => _weightType == "auto" ? AutoWeightType : _weightType; init => _weightType = value; }

    private readonly string _weightType = "auto";

    /// <summary>True when the weight type was left to <c>auto</c> (the default) rather than written.</summary>
    public bool WeightTypeIsAuto => _weightType == "auto";

    /// <summary>What <c>weight-type: auto</c> is on this CPU: int8 with VNNI, uint8 without.</summary>
    public static string AutoWeightType => Measure.Environment.CpuInfo.HasInt8DotProduct() ? "int8" : "uint8";

    /// <summary>Quantize int8 weights to 7 bits (±63), the other way to avoid the saturation above, at a cost in precision.</summary>
    public bool ReduceRange { get; init; }

    /// <summary>Static QDQ activation type: uint8 (default; ORT's fastest x86 path is u8 activations × s8 weights) or int8.</summary>
    public string ActivationType { get; init; } = "uint8";

    /// <summary>Static QDQ: symmetric activation ranges (zero point at the type's centre) instead of asymmetric.</summary>
    public bool SymmetricActivations { get; init; }

    public IReadOnlySet<string> ExcludeOps { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> ExcludeNodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Calibration data for static quantization (a path the evaluation readers accept).</summary>
    public string? Calibration { get; init; }

    /// <summary>minmax, percentile, entropy, or auto (per tensor, the one whose range gives the smallest estimated quantization error).</summary>
    public string Method { get; init; } = "minmax";

    /// <summary>int4 block size (32, 64 or 128).</summary>
    public int BlockSize { get; init; } = 32;

    /// <summary>Maximum allowed drop of the accuracy/fidelity metric; enables accuracy-aware fallback.</summary>
    public double? MaxDrop { get; init; }

    /// <summary>
    /// The metric max-drop is stated in: fidelity.cosine, fidelity.cosine-min, fidelity.top1-agreement or relative-l2;
    /// null keeps the default by output kind (top-1 accuracy with labels, top-1 agreement for class scores, else cosine).
    /// </summary>
    public string? MaxDropMetric { get; init; }

    /// <summary>
    /// Static mode: what the accuracy-aware fallback does with a sensitive node: float (keep it as it was),
    /// uint16 (int8 weight, 16-bit activations), or auto (float when its weight is under 1% of all weights, else uint16).
    /// </summary>
    public string Fallback { get; init; } = "float";

    /// <summary>
    /// Static mode with max-drop: rounds of re-ranking after the one-pass fallback search (0 to
    /// <see cref="SensitivityFallback.MaxRerankRounds"/>; default 0). Each round measures every node's marginal
    /// value with the chosen set fallen back and searches the new order for a smaller set whose measured drop holds.
    /// </summary>
    public int Rerank { get; init; }

    /// <summary>
    /// Dynamic mode: embedding tables (a Gather over a constant 2-D float table, e.g. BERT's word, position and
    /// token-type embeddings) stored in 8 bits with a DequantizeLinear after the lookup.
    /// </summary>
    public bool Embeddings { get; init; } = true;

    /// <summary>Every option of the quantize step; the YAML loader accepts exactly these.</summary>
    public static readonly string[] Keys = ["mode", "per-channel", "weight-type", "reduce-range", "activation-type", "symmetric-activations", "calibration", "method", "block-size", "exclude-op", "exclude-node", "max-drop", "max-drop-metric", "fallback", "rerank", "embeddings"];

    public static QuantizeOptions Parse(RecipeStep step)
    {
        var o = new QuantizeOptions();
        foreach (var (key, value) in step.Options)
        {
            o = key switch
            {
                "mode" => o with { Mode = OneOf(step, key, value, "dynamic", "static", "fp16", "int4") },
                "per-channel" => o with { PerChannel = Bool(step, key, value) },
                "weight-type" => o with { WeightType = OneOf(step, key, value, "auto", "uint8", "int8") },
                "reduce-range" => o with { ReduceRange = Bool(step, key, value) },
                "activation-type" => o with { ActivationType = OneOf(step, key, value, "uint8", "int8") },
                "symmetric-activations" => o with { SymmetricActivations = Bool(step, key, value) },
                "exclude-op" => o with { ExcludeOps = List(value) },
                "exclude-node" => o with { ExcludeNodes = List(value) },
                "calibration" => o with { Calibration = value },
                "method" => o with { Method = OneOf(step, key, value, "minmax", "percentile", "entropy", "auto") },
                "block-size" => o with { BlockSize = int.Parse(OneOf(step, key, value, "32", "64", "128"), CultureInfo.InvariantCulture) },
                "max-drop" => o with { MaxDrop = StepOptionParsing.Drop(step, key, value) },
                "max-drop-metric" => o with { MaxDropMetric = OneOf(step, key, value, DropMetrics) },
                "fallback" => o with { Fallback = OneOf(step, key, value, FallbackTiers) },
                "rerank" => o with { Rerank = int.Parse(OneOf(step, key, value, RerankRounds), CultureInfo.InvariantCulture) },
                "embeddings" => o with { Embeddings = Bool(step, key, value) },
                _ => throw Invalid(step, $"'{key}' is not an option of quantize; expected one of {string.Join(", ", Keys)}."),
            };
        }

        // An option another mode would silently ignore is an error (the YAML loader says the same with a line number).
        foreach (var key in step.Options.Keys)
        {
            if (ModeOf(key) is { } mode && mode != o.Mode)
            {
                throw Invalid(step, $"'{key}' is only used by mode: {mode}; this step's mode is {o.Mode}.");
            }
        }

        if (o.Rerank > 0 && o.MaxDrop is null)
        {
            throw Invalid(step, "quantize rerank re-ranks the accuracy-aware fallback, which needs max-drop.");
        }

        return o;
    }

    /// <summary>The values of <c>rerank</c>: 0 up to <see cref="SensitivityFallback.MaxRerankRounds"/> rounds.</summary>
    public static readonly string[] RerankRounds = Enumerable.Range(0, SensitivityFallback.MaxRerankRounds + 1).Select(static i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The metrics <c>max-drop-metric</c> accepts.</summary>
    public static readonly string[] DropMetrics = ["fidelity.cosine", "fidelity.cosine-min", "fidelity.top1-agreement", "relative-l2"];

    /// <summary>The values of <c>fallback</c>.</summary>
    public static readonly string[] FallbackTiers = ["float", "uint16", "auto"];

    /// <summary>The one mode that uses an option, or null when every mode does; the YAML loader checks with it too.</summary>
    internal static string? ModeOf(string key) => UsedBy.GetValueOrDefault(key);

    /// <summary>"true" or "false" as the options are written; null passes through.</summary>
    public static string? Flag(bool? value) => value is { } b ? (b ? "true" : "false") : null;

    private static readonly Dictionary<string, string> UsedBy = new(StringComparer.Ordinal)
    {
        ["weight-type"] = "dynamic",
        ["reduce-range"] = "dynamic",
        ["embeddings"] = "dynamic",
        ["calibration"] = "static",
        ["method"] = "static",
        ["activation-type"] = "static",
        ["symmetric-activations"] = "static",
        ["fallback"] = "static",
        ["rerank"] = "static",
        ["block-size"] = "int4",
    };

    private static HashSet<string> List(string value) =>
        value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static string OneOf(RecipeStep step, string key, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? value : throw Invalid(step, $"quantize {key} '{value}' is not one of {string.Join(", ", allowed)}.");

    private static bool Bool(RecipeStep step, string key, string value) => value switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Invalid(step, $"quantize {key} '{value}' is not true or false."),
    };

    private static PipelineGateException Invalid(RecipeStep step, string message) =>
        new(PgCode.ConfigInvalidValue, message, step.Location.File, step.Location.Line, step.Location.Column);
}
