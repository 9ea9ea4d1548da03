using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// A recipe step's options as its reader checks them, in the string form the Optimize options parse: a
/// value that failed its check arrives as null (its mistake already reported at its line) and marks the
/// step invalid, so the reader can go on and report every other mistake before it gives up on the step.
/// </summary>
internal sealed class StepOptions
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public bool Ok { get; private set; } = true;

    public void Put(string key, string? text)
    {
        if (text is null)
        {
            Ok = false;
        }
        else
        {
            Values[key] = text;
        }
    }

    /// <summary>
    /// The accuracy-aware allowance (max-drop of quantize, prune and factorize) when the mapping has one:
    /// percentage points, or a plain fraction, at most 100 pp.
    /// </summary>
    public void PutMaxDrop(ConfigContext context, MappingReader m)
    {
        if (m.Value("max-drop") is not { } maxDrop)
        {
            return;
        }

        var q = Scalars.Quantity(context, maxDrop, "'max-drop'", [UnitDimension.PercentagePoints, UnitDimension.Ratio]);
        if (q is { Value: > 1 })
        {
            context.Report(PgCode.ConfigInvalidValue, maxDrop, $"'max-drop' '{q.Value.Text}' is more than 100 pp.", "Write the allowed drop, e.g. 0.5 pp.");
            q = null;
        }

        Put("max-drop", q?.Text);
    }

    /// <summary>A mistake reported by the reader itself (a missing key, contradicting keys).</summary>
    public void Fail() => Ok = false;

    public RecipeStep? Step(string kind, SourceLocation location) => Ok ? new RecipeStep(kind, Values, location) : null;
}
