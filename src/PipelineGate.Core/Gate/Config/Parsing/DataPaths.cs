using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Path values that must exist when the config is loaded, so a typo fails at its line rather than minutes into a run.</summary>
internal static class DataPaths
{
    /// <summary>A model file, already resolved: PG2001 when it is not there.</summary>
    public static (string Full, string Relative)? Model(ConfigContext context, YamlNode node, (string Full, string Relative) path)
    {
        if (!File.Exists(path.Full))
        {
            var hint = Directory.Exists(path.Full)
                ? "That is a folder; point at the .onnx file inside it."
                : "Paths are relative to the config's folder; check the spelling and that the file is committed (not ignored).";
            context.Report(PgCode.ModelNotFound, node, $"Model '{path.Relative}' does not exist (looked for {path.Full}).", hint);
            return null;
        }

        return path;
    }

    /// <summary>Evaluation or calibration data, a file or a folder: PG2026 when it is not there.</summary>
    public static (string Full, string Relative)? Existing(ConfigContext context, YamlNode node, string what)
    {
        if (Resolve(context, node, $"{what} path") is not { } path)
        {
            return null;
        }

        if (!File.Exists(path.Full) && !Directory.Exists(path.Full))
        {
            context.Report(PgCode.DataNotFound, node, $"{what} '{path.Relative}' does not exist (looked for {path.Full}).",
                "Paths are relative to the config's folder: a .npy/.npz file, a folder of .npy files or test_data_set_N folders, or a .csv file.");
            return null;
        }

        return path;
    }

    public static (string Full, string Relative)? Resolve(ConfigContext context, YamlNode node, string subject) =>
        Scalars.NonEmpty(context, node, subject) is { } text ? context.ResolvePath(node, text) : null;
}
