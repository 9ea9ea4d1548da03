using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads the root mapping into a <see cref="GateConfig"/>; the result is only meaningful when no diagnostic was reported.</summary>
internal static class ConfigReader
{
    public const int CurrentVersion = 1;

    public static GateConfig Read(ConfigContext context, YamlNode root)
    {
        var m = MappingReader.Open(context, root, "the config", ConfigKeys.Root);
        if (m is null)
        {
            return Empty(context);
        }

        var version = m.Required("version", "Add 'version: 1' at the top.") is { } v ? Version(context, v) : CurrentVersion;
        var measure = m.Value("measure") is { } measureNode ? MeasureReader.Read(context, measureNode, MeasureConfig.Default) : MeasureConfig.Default;
        var models = m.Required("models", "List the models to gate, e.g. '- path: model.onnx'.") is { } modelsNode ? Models(context, modelsNode, measure) : [];
        var profiles = m.Value("profiles") is { } profilesNode
            ? ProfileReader.ReadAll(context, profilesNode, measure, models)
            : new Dictionary<string, ProfileConfig>(StringComparer.Ordinal);
        return new GateConfig { Path = context.File, Version = version, Models = models, Profiles = profiles };
    }

    public static GateConfig Empty(ConfigContext context) => new()
    {
        Path = context.File,
        Version = CurrentVersion,
        Models = [],
        Profiles = new Dictionary<string, ProfileConfig>(StringComparer.Ordinal),
    };

    private static int Version(ConfigContext context, YamlNode node)
    {
        if (Scalars.Integer(context, node, "'version'", int.MinValue) is { } version && version != CurrentVersion)
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"'version' is {version.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but this PipelineGate reads version {CurrentVersion} only.",
                "Write 'version: 1', or update PipelineGate if the config was written for a newer one.");
        }

        return CurrentVersion;
    }

    private static List<ModelConfig> Models(ConfigContext context, YamlNode node, MeasureConfig measure)
    {
        var models = new List<ModelConfig>();
        if (Scalars.Sequence(context, node, "'models'") is not { } items)
        {
            return models;
        }

        if (items.Count == 0)
        {
            context.Report(PgCode.ConfigInvalidValue, node, "'models' must list at least one model.", "Add e.g. '- path: model.onnx'.");
        }

        var seen = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (ModelReader.Read(context, item, measure) is not { } read)
            {
                continue;
            }

            var (model, nameNode) = read;

            // Names become result keys and file names, which may be case-insensitive. An empty name stands in
            // for one that could not be derived from a broken path, which has been reported.
            if (model.Name.Length > 0 && seen.TryGetValue(model.Name, out var first))
            {
                context.Report(PgCode.ConfigInvalidValue, nameNode, $"Model name '{model.Name}' is already used by the model at {Scalars.LineOf(first)}.",
                    "Give each model a distinct 'name:' (it defaults to the file name).");
                continue;
            }

            seen[model.Name] = nameNode;
            models.Add(model);
        }

        return models;
    }
}
