using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;
using static PipelineGate.Optimize.Quantization.QuantizeOptions;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads the options of a <c>quantize</c> step into the string form Optimize/Quantization/QuantizeOptions
/// parses. Checking them here puts mistakes at their line before any model is loaded.
/// </summary>
internal static class QuantizeReader
{
    public static RecipeStep? Read(ConfigContext context, YamlScalarNode kindNode, YamlNode value)
    {
        var options = new StepOptions();
        if (Scalars.IsNull(value))
        {
            return options.Step("quantize", context.Locate(kindNode));
        }

        if (MappingReader.Open(context, value, "'quantize'", ConfigKeys.Quantize) is not { } m)
        {
            return null;
        }


        // Null when the mode itself is wrong: then nothing is said about options that depend on it.
        string? mode = "dynamic";
        if (m.Value("mode") is { } modeNode)
        {
            mode = Scalars.OneOf(context, modeNode, "'mode'", ConfigKeys.QuantizeModes);
            options.Put("mode", mode);
        }

        if (m.Value("per-channel") is { } perChannel)
        {
            options.Put("per-channel", Flag(Scalars.Boolean(context, perChannel, "'per-channel'")));
        }

        if (ForMode(context, m, "calibration", mode) is { } calibration)
        {
            options.Put("calibration", Calibration(context, calibration));
        }

        if (ForMode(context, m, "method", mode) is { } method)
        {
            options.Put("method", Scalars.OneOf(context, method, "'method'", ConfigKeys.CalibrationMethods));
        }

        if (ForMode(context, m, "block-size", mode) is { } blockSize)
        {
            options.Put("block-size", Scalars.OneOf(context, blockSize, "'block-size'", ConfigKeys.BlockSizes));
        }

        if (ForMode(context, m, "weight-type", mode) is { } weightType)
        {
            options.Put("weight-type", Scalars.OneOf(context, weightType, "'weight-type'", ConfigKeys.WeightTypes));
        }

        if (ForMode(context, m, "reduce-range", mode) is { } reduceRange)
        {
            options.Put("reduce-range", Flag(Scalars.Boolean(context, reduceRange, "'reduce-range'")));
        }

        if (ForMode(context, m, "embeddings", mode) is { } embeddings)
        {
            options.Put("embeddings", Flag(Scalars.Boolean(context, embeddings, "'embeddings'")));
        }

        if (ForMode(context, m, "activation-type", mode) is { } activationType)
        {
            options.Put("activation-type", Scalars.OneOf(context, activationType, "'activation-type'", ConfigKeys.ActivationTypes));
        }

        if (ForMode(context, m, "symmetric-activations", mode) is { } symmetric)
        {
            options.Put("symmetric-activations", Flag(Scalars.Boolean(context, symmetric, "'symmetric-activations'")));
        }

        foreach (var key in (ReadOnlySpan<string>)["exclude-op", "exclude-node"])
        {
            if (m.Value(key) is { } names)
            {
                options.Put(key, Names(context, names, $"'{key}'"));
            }
        }

        options.PutMaxDrop(context, m);

        if (m.Value("max-drop-metric") is { } dropMetric)
        {
            options.Put("max-drop-metric", Scalars.OneOf(context, dropMetric, "'max-drop-metric'", DropMetrics));
        }

        if (ForMode(context, m, "fallback", mode) is { } fallback)
        {
            options.Put("fallback", Scalars.OneOf(context, fallback, "'fallback'", FallbackTiers));
        }

        if (ForMode(context, m, "rerank", mode) is { } rerank && Scalars.Integer(context, rerank, "'rerank'", 0, Optimize.Quantization.SensitivityFallback.MaxRerankRounds) is { } rounds)
        {
            if (rounds > 0 && m.Value("max-drop") is null)
            {
                context.Report(PgCode.ConfigInvalidValue, rerank, "'rerank' re-ranks the accuracy-aware fallback, which needs 'max-drop'.", "Add 'max-drop', or remove 'rerank'.");
            }
            else
            {
                options.Put("rerank", rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return options.Step("quantize", context.Locate(kindNode));
    }

    /// <summary>An option that only one mode uses: null (after reporting) when written for another mode.</summary>
    private static YamlNode? ForMode(ConfigContext context, MappingReader m, string key, string? mode)
    {
        var usedBy = ModeOf(key);
        if (m.Value(key) is not { } node || mode is null || usedBy is null || mode == usedBy)
        {
            return m.Value(key);
        }

        context.Report(PgCode.ConfigInvalidValue, node, $"'{key}' is only used by mode: {usedBy}; this step's mode is {mode}.", $"Remove '{key}', or set 'mode: {usedBy}'.");
        return null;
    }

    // Missing calibration data has its own code, which the optimizer also uses when --calibration names nothing.
    private static string? Calibration(ConfigContext context, YamlNode node)
    {
        if (DataPaths.Resolve(context, node, "'calibration'") is not { } path)
        {
            return null;
        }

        if (!File.Exists(path.Full) && !Directory.Exists(path.Full))
        {
            context.Report(PgCode.CalibrationDataMissing, node, $"Calibration data '{path.Relative}' does not exist (looked for {path.Full}).",
                "Point 'calibration' at a .npy/.npz file or a folder of them, relative to the config's folder.");
            return null;
        }

        return path.Full;
    }

    /// <summary>Op types or node names: a list, or one string separated by commas or spaces (as on the command line).</summary>
    private static string? Names(ConfigContext context, YamlNode node, string subject)
    {
        if (node is YamlSequenceNode list)
        {
            var items = list.Children.Select(item => Scalars.NonEmpty(context, item, $"An entry of {subject}")).ToArray();
            return items.Any(static i => i is null) ? null : string.Join(", ", items);
        }

        return Scalars.NonEmpty(context, node, subject);
    }
}
