using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads a model's <c>data:</c> mapping (evaluation data for accuracy and fidelity budgets).</summary>
internal static class DataReader
{
    private static readonly string[] FileFormats = [".npy", ".npz", ".csv"];

    public static DataConfig? Read(ConfigContext context, YamlNode node)
    {
        if (MappingReader.Open(context, node, "'data'", ConfigKeys.Data) is not { } m)
        {
            return null;
        }

        var pathNode = m.Required("path", "Point at a .npy/.npz file, a folder of .npy files or test_data_set_N folders, or a .csv file.");
        var path = pathNode is null ? null : DataPaths.Existing(context, pathNode, "Evaluation data");
        if (path is { } p && pathNode is not null && File.Exists(p.Full) && !FileFormats.Contains(Path.GetExtension(p.Full), StringComparer.OrdinalIgnoreCase))
        {
            context.Report(PgCode.ConfigInvalidValue, pathNode, $"Evaluation data '{p.Relative}' is not a .npy, .npz or .csv file.",
                "Convert it to .npy/.npz or CSV, or point at a folder of .npy files or test_data_set_N folders.");
            path = null;
        }

        var labels = m.Value("labels") is { } l ? Scalars.NonEmpty(context, l, "'labels'") : null;
        var inputs = m.Value("inputs") is { } i ? Scalars.StringMap(context, i, "'inputs'") : null;
        var limit = m.Value("limit") is { } n ? Scalars.Integer(context, n, "'limit'", 1) : null;
        return path is { } resolved
            ? new DataConfig(resolved.Full, resolved.Relative, labels, inputs ?? new Dictionary<string, string>(StringComparer.Ordinal), limit, context.Locate(m.Node))
            : null;
    }
}
