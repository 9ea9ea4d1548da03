using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using static PipelineGate.Optimize.StepOptionParsing;

namespace PipelineGate.Optimize.Pruning;

/// <summary>Options of the prune recipe step, as written in pipelinegate.yml or on the command line.</summary>
public sealed record PruneOptions
{
    /// <summary>magnitude (unstructured), nm (N:M semi-structured, magnitude within groups), channel, heads or ffn (structured).</summary>
    public string Method { get; init; } = "magnitude";

    /// <summary>The fraction removed: of weights (magnitude), of output channels (channel), attention heads (heads) or FFN neurons (ffn) per layer.</summary>
    public double Sparsity { get; init; }

    /// <summary>N:M pattern (keep N of every M consecutive weights along the reduction axis), for magnitude/nm.</summary>
    public (int N, int M)? Pattern { get; init; }

    /// <summary>True: every layer loses the same fraction; false: weights (or channels) are ranked across layers.</summary>
    public bool PerLayer { get; init; } = true;

    /// <summary>Magnitude pruning leaves the first and last prunable layers alone (they are the most sensitive).</summary>
    public bool SkipFirstLast { get; init; } = true;

    /// <summary>Channel importance: l1 or l2 norm of a channel's weights.</summary>
    public string Norm { get; init; } = "l1";

    /// <summary>
    /// Channel pruning keeps a multiple of this many channels per layer (rounding the removal down), since
    /// ONNX Runtime's x86 convolutions work in blocks of 8 or 16 channels (NCHWc) and an odd width can be slower
    /// than the wider original. 1 removes exactly the requested share.
    /// The default is 8 on every ISA, by measurement (docs/performance.md, issue 14): on AVX-512, where MLAS blocks
    /// by 16, 16 ran the PP-OCR classifier at 30% no faster than 8 (0.824× vs 0.81×, six rounds) while keeping more
    /// weights (file 0.76× vs 0.66×), so an ISA-dependent default would cost size and buy no time; AVX2 blocks by 8.
    /// </summary>
    public int MultipleOf { get; init; } = 8;

    /// <summary>
    /// Accuracy-aware search: the largest allowed drop of the budgeted metric (the one quantize's max-drop uses), measured
    /// on evaluation data; each layer (each attention or FFN block for heads and ffn) is then pruned at <see cref="Sparsity"/>,
    /// at half of it, or not at all.
    /// </summary>
    public double? MaxDrop { get; init; }

    /// <summary>Per-layer sparsity chosen by the search, keyed by layer (channel: the first layer of a tied cluster; heads and ffn: the block's label); null: every layer at <see cref="Sparsity"/>.</summary>
    internal IReadOnlyDictionary<string, double>? LayerSparsity { get; init; }

    /// <summary>The sparsity of one layer (or tied cluster): the search's choice when there is one, 0 for a layer it left out.</summary>
    internal double SparsityOf(string layer) => LayerSparsity is null ? Sparsity : LayerSparsity.GetValueOrDefault(layer);

    /// <summary>The pruning methods.</summary>
    public static readonly string[] Methods = ["magnitude", "nm", "channel", "heads", "ffn"];

    public static readonly string[] Norms = ["l1", "l2"];

    /// <summary>Every option of the prune step; the YAML loader accepts exactly these.</summary>
    public static readonly string[] Keys = ["method", "sparsity", "pattern", "per-layer", "global", "skip-first-last", "norm", "multiple-of", "max-drop"];

    public static PruneOptions Parse(RecipeStep step)
    {
        var o = new PruneOptions();
        string? sparsityText = null;
        foreach (var (key, value) in step.Options)
        {
            switch (key)
            {
                case "method":
                    o = o with { Method = OneOf(step, key, value, Methods) };
                    break;
                case "sparsity":
                    sparsityText = value;
                    break;
                case "pattern":
                    o = o with { Pattern = ParsePattern(step, value) };
                    break;
                case "per-layer":
                    o = o with { PerLayer = Bool(step, key, value) };
                    break;
                case "global":
                    o = o with { PerLayer = !Bool(step, key, value) };
                    break;
                case "skip-first-last":
                    o = o with { SkipFirstLast = Bool(step, key, value) };
                    break;
                case "multiple-of":
                    o = o with { MultipleOf = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mult) && mult is >= 1 and <= 256
                        ? mult
                        : throw Invalid(step, $"prune multiple-of '{value}' is not a whole number from 1 to 256.") };
                    break;
                case "norm":
                    o = o with { Norm = OneOf(step, key, value, Norms) };
                    break;
                case "max-drop":
                    o = o with { MaxDrop = Drop(step, key, value) };
                    break;
                default:
                    throw Invalid(step, $"'{key}' is not an option of prune; expected one of {string.Join(", ", Keys)}.");
            }
        }

        if (o.Method == "nm" && o.Pattern is null)
        {
            o = o with { Pattern = (2, 4) };
        }

        if (o.Pattern is not null && o.Method is "channel" or "heads" or "ffn")
        {
            throw Coded(step, PgCode.PrunePatternUnfollowable, $"An N:M pattern applies to weights (method magnitude or nm), not to whole {(o.Method == "channel" ? "channels" : o.Method == "heads" ? "attention heads" : "neurons")}.", "Remove 'pattern', or use method: nm.");
        }

        if (o.Pattern is { } pattern)
        {
            var implied = 1 - (pattern.N / (double)pattern.M);
            var given = sparsityText is null ? implied : SparsityOf(step, sparsityText);
            if (Math.Abs(given - implied) > 1e-9)
            {
                throw Coded(step, PgCode.PrunePatternUnfollowable,
                    string.Create(CultureInfo.InvariantCulture, $"The {pattern.N}:{pattern.M} pattern removes exactly {implied:0.###} of the weights, but sparsity is {given:0.###}."),
                    "Leave 'sparsity' out when a pattern is given, or set it to 1 − N/M.");
            }

            return o with { Method = "nm", Sparsity = implied };
        }

        if (sparsityText is null)
        {
            throw Coded(step, PgCode.PruneAmountOutOfRange, "prune needs 'sparsity', the fraction to remove (e.g. 0.5).", "Give --sparsity 0.5 (or sparsity: 50% in pipelinegate.yml).");
        }

        return o with { Sparsity = SparsityOf(step, sparsityText) };
    }

    private static double SparsityOf(RecipeStep step, string text) =>
        Fraction(text) is { } s && s >= 0 && s < 1
            ? s
            : throw Coded(step, PgCode.PruneAmountOutOfRange,
                $"prune sparsity '{text}' is outside [0, 1): it is the fraction removed (of weights, or of output channels, attention heads or FFN neurons per layer).",
                "Give a fraction below 1, e.g. 0.5 or 50%.");

    internal static (int N, int M) ParsePattern(RecipeStep step, string value)
    {
        var parts = value.Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && n > 0 && n < m && m <= 64)
        {
            return (n, m);
        }

        throw Coded(step, PgCode.PrunePatternUnfollowable, $"prune pattern '{value}' is not N:M with 0 < N < M ≤ 64.", "Write e.g. 2:4 (keep 2 of every 4 weights).");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Method}, sparsity {Sparsity:0.###}{(Pattern is { } p ? $", pattern {p.N}:{p.M}" : "")}, {(LayerSparsity is not null ? "per layer as the search chose (below)" : PerLayer ? "per layer" : "global")}");
}
