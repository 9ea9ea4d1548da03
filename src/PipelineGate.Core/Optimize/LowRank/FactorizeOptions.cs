using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using static PipelineGate.Optimize.StepOptionParsing;

namespace PipelineGate.Optimize.LowRank;

/// <summary>Options of the factorize recipe step: the rank from retained energy (default 95%) or a fixed rank.</summary>
public sealed record FactorizeOptions
{
    /// <summary>Share of Σσ² the kept singular values retain, in (0, 1].</summary>
    public double Energy { get; init; } = 0.95;

    /// <summary>A fixed rank instead of an energy (capped at min(m, n)).</summary>
    public int? Rank { get; init; }

    /// <summary>Accuracy-aware search: the largest allowed drop of the budgeted metric on evaluation data; each layer then gets its candidate rank, a milder one, or stays whole.</summary>
    public double? MaxDrop { get; init; }

    /// <summary>Per-layer ranks chosen by the search, keyed by layer label; null: every layer by <see cref="Energy"/> or <see cref="Rank"/>. A layer absent from the map stays whole.</summary>
    internal IReadOnlyDictionary<string, int>? LayerRanks { get; init; }

    public static readonly string[] Keys = ["energy", "rank", "max-drop"];

    public static FactorizeOptions Parse(RecipeStep step)
    {
        if (step.Options.ContainsKey("energy") && step.Options.ContainsKey("rank"))
        {
            throw Coded(step, PgCode.FactorizeNotApplicable, "factorize takes either 'energy' or 'rank', not both.", "Keep one of them.");
        }

        var o = new FactorizeOptions();
        foreach (var (key, value) in step.Options)
        {
            o = key switch
            {
                "energy" => o with
                {
                    Energy = Fraction(value) is { } e && e > 0 && e <= 1 ? e
                        : throw Coded(step, PgCode.PruneAmountOutOfRange, $"factorize energy '{value}' is outside (0, 1]: it is the share of the squared singular values kept.", "Give e.g. 0.95 or 95%."),
                },
                "rank" => o with
                {
                    Rank = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r >= 1 ? r
                        : throw Coded(step, PgCode.PruneAmountOutOfRange, $"factorize rank '{value}' is not a whole number of at least 1.", "Give e.g. rank: 64."),
                },
                "max-drop" => o with { MaxDrop = Drop(step, key, value) },
                _ => throw Invalid(step, $"'{key}' is not an option of factorize; expected one of {string.Join(", ", Keys)}."),
            };
        }

        return o;
    }

    public override string ToString() => Rank is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"rank {r}")
        : string.Create(CultureInfo.InvariantCulture, $"energy {Energy:0.####}");
}
