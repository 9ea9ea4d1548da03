using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using PipelineGate.Runtime;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads a model's <c>custom-op-libraries: [{ path: native/libops.so, sha256: 64 hex digits }]</c>: the only
/// custom-op libraries ONNX Runtime may load for that model. A missing file is PG1023 at its line; the hash is
/// checked when the library is loaded (<see cref="CustomOpLibrary"/>), so what is hashed is what runs.
/// </summary>
internal static partial class CustomOpLibraryReader
{
    public static IReadOnlyList<CustomOpLibrary> ReadAll(ConfigContext context, YamlNode? node)
    {
        var result = new List<CustomOpLibrary>();
        if (node is null)
        {
            return result;
        }

        foreach (var item in Scalars.Sequence(context, node, "'custom-op-libraries'") ?? [])
        {
            if (Read(context, item) is { } library)
            {
                result.Add(library);
            }
        }

        return result;
    }

    private static CustomOpLibrary? Read(ConfigContext context, YamlNode node)
    {
        if (MappingReader.Open(context, node, "a custom-op library", ConfigKeys.CustomOpLibrary) is not { } m)
        {
            return null;
        }

        var pathNode = m.Required("path", "Point at the shared library (.so, .dll, .dylib), relative to the config's folder.");
        var hashNode = m.Required("sha256", "Pin the library's SHA-256 (sha256sum prints it), 64 hex digits.");
        var path = pathNode is null ? null : DataPaths.Resolve(context, pathNode, "'path'");
        if (path is { } p && !File.Exists(p.Full))
        {
            context.Report(PgCode.CustomOpLibraryNotFound, pathNode!, $"Custom-op library '{p.Relative}' does not exist (looked for {p.Full}).",
                "Build the library before the gate runs, or fix the path (relative to the config's folder).");
            path = null;
        }

        var hash = hashNode is null ? null : Scalars.NonEmpty(context, hashNode, "'sha256'")?.ToLowerInvariant();
        if (hash is not null && !HashPattern().IsMatch(hash))
        {
            context.Report(PgCode.ConfigInvalidValue, hashNode!, $"'sha256' is '{hash}', but a SHA-256 is 64 hex digits.", "Copy the hash sha256sum prints for the library.");
            hash = null;
        }

        var at = context.Locate(m.Node);
        return path is null || hash is null ? null : new CustomOpLibrary(path.Value.Full, hash, at.File, at.Line);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}
