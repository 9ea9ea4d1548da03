using System.Globalization;
using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads a <c>measure:</c> mapping as overrides of the settings it inherits (defaults, then top level, then model or profile).</summary>
internal static class MeasureReader
{
    public static MeasureConfig Read(ConfigContext context, YamlNode node, MeasureConfig inherited)
    {
        if (MappingReader.Open(context, node, "measure", ConfigKeys.Measure) is not { } m)
        {
            return inherited;
        }

        var result = inherited;
        if (m.Value("duration") is { } duration && Scalars.Quantity(context, duration, "'duration'", [UnitDimension.Time]) is { } d)
        {
            if (d.Value > 0)
            {
                result = result with { Duration = TimeSpan.FromMilliseconds(d.Value) };
            }
            else
            {
                context.Report(PgCode.ConfigInvalidValue, duration, $"'duration' must be longer than 0, got '{d.Text}'.", "Write e.g. 10s.");
            }
        }

        if (m.Value("min-samples") is { } minNode && Scalars.Integer(context, minNode, "'min-samples'", 1) is { } min)
        {
            result = result with { MinSamples = min };
        }

        if (m.Value("max-samples") is { } maxNode && Scalars.Integer(context, maxNode, "'max-samples'", 1) is { } max)
        {
            result = result with { MaxSamples = max };
        }

        if (result.MaxSamples < result.MinSamples && (m.Value("max-samples") ?? m.Value("min-samples")) is { } at)
        {
            context.Report(PgCode.ConfigInvalidValue, at,
                string.Create(CultureInfo.InvariantCulture, $"'max-samples' ({result.MaxSamples}) is less than 'min-samples' ({result.MinSamples}) for this measure section."),
                "Raise max-samples or lower min-samples.");
        }

        // A plain fraction (0.05) or a percentage (5%); 100% or more would call every change noise.
        if (m.Value("threshold") is { } thresholdNode && Scalars.Quantity(context, thresholdNode, "'threshold'", [UnitDimension.Relative, UnitDimension.Ratio]) is { } threshold)
        {
            if (threshold.Value < 1)
            {
                result = result with { Threshold = threshold.Value };
            }
            else
            {
                context.Report(PgCode.ConfigInvalidValue, thresholdNode, $"'threshold' must be below 100%, got '{threshold.Text}'.", "Write the noise band as a percentage, e.g. 5%.");
            }
        }

        if (m.Value("confidence") is { } confidenceNode && Scalars.Quantity(context, confidenceNode, "'confidence'", [UnitDimension.Ratio]) is { } confidence)
        {
            if (confidence.Value is >= 0.5 and < 1)
            {
                result = result with { Confidence = confidence.Value };
            }
            else
            {
                context.Report(PgCode.ConfigInvalidValue, confidenceNode, $"'confidence' must be at least 50% and below 100%, got '{confidence.Text}'.", "Write e.g. 95% or 0.95.");
            }
        }

        if (m.Value("remeasure") is { } remeasureNode && Scalars.Integer(context, remeasureNode, "'remeasure'", 0) is { } remeasure)
        {
            result = result with { Remeasure = remeasure };
        }

        if (m.Value("extensions") is { } extensionsNode && Scalars.Integer(context, extensionsNode, "'extensions'", 0) is { } extensions)
        {
            result = result with { Extensions = extensions };
        }

        if (m.Value("concurrency") is { } concurrencyNode && Scalars.Integer(context, concurrencyNode, "'concurrency'", 0) is { } concurrency)
        {
            result = result with { Concurrency = concurrency };
        }

        return result;
    }
}
