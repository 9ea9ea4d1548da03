using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config;

/// <summary>
/// Loads pipelinegate.yml (format: docs/config.md). Every mistake found is reported with its file, line and
/// column, all of them at once, in a <see cref="ConfigException"/>.
/// </summary>
public static partial class ConfigLoader
{
    /// <summary>The names looked for when <see cref="Load"/> is given a folder.</summary>
    public static IReadOnlyList<string> DefaultFileNames { get; } = ["pipelinegate.yml", "pipelinegate.yaml"];

    /// <param name="path">The config file, or a folder holding pipelinegate.yml.</param>
    /// <param name="environment">Variables for <c>${NAME}</c> in path values; null reads the process environment.</param>
    /// <exception cref="ConfigException">The file is missing, not YAML, or not a valid config.</exception>
    public static GateConfig Load(string path, IReadOnlyDictionary<string, string>? environment = null)
    {
        var file = Locate(path);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new Diagnostic(PgCode.ConfigNotFound, DiagnosticSeverity.Error, $"The config could not be read: {e.Message}", file)]);
        }

        return Parse(text, file, environment);
    }

    /// <summary>Parses config text as if it were the file <paramref name="file"/> (paths resolve against its folder).</summary>
    /// <remarks>A test may pass its own <see cref="Fetch.ResourceFetcher"/> (null: the per-user cache) for <c>fetch:</c> files.</remarks>
    internal static GateConfig Parse(string text, string file, IReadOnlyDictionary<string, string>? environment = null, Fetch.ResourceFetcher? fetcher = null)
    {
        Func<string, string?> lookup = environment is null ? Environment.GetEnvironmentVariable : name => environment.GetValueOrDefault(name);
        var context = new ConfigContext(Path.GetFullPath(file), lookup, fetcher);
        if (text.Length > ConfigBounds.MaxCharacters)
        {
            throw new ConfigException([new Diagnostic(PgCode.ConfigTooLarge, DiagnosticSeverity.Error,
                $"The config is {text.Length:N0} characters long; a gate config is read only up to {ConfigBounds.MaxCharacters:N0} (4 MiB).", context.File, 1, 1,
                "Split it into several configs, one per gate.")]);
        }

        var stream = new YamlStream();
        try
        {
            // Cycles and deep nesting are refused from the events as they are read: building the node tree would overflow the stack.
            stream.Load(new YamlEventBounds(new Parser(new StringReader(text)), context.File));
        }
        catch (YamlException e)
        {
            var (line, column) = Position(text, e);
            throw new ConfigException([new Diagnostic(PgCode.ConfigSyntax, DiagnosticSeverity.Error, $"The config is not valid YAML: {WithoutMarks(e.Message)}",
                context.File, line, column, "Check the indentation (spaces, not tabs) and the ':' after each key.")]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
        {
            // Found by the fuzz harness: YamlDotNet throws these (not a YamlException) on some malformed plain scalars and events.
            throw new ConfigException([new Diagnostic(PgCode.ConfigSyntax, DiagnosticSeverity.Error, "The config is not valid YAML: the parser stopped inside a plain scalar (a value with a stray ':', '#', tab or bracket).",
                context.File, Hint: "Quote values that contain ':', '#', '[' or '{', and indent with spaces, not tabs.")]);
        }

        GateConfig config;
        if (stream.Documents.Count == 0)
        {
            context.Report(PgCode.ConfigMissingKey, 1, 1, "The config is empty.", "Start with 'version: 1' and a 'models:' list (see docs/config.md).");
            config = ConfigReader.Empty(context);
        }
        else
        {
            if (stream.Documents.Count > 1)
            {
                context.Report(PgCode.ConfigSyntax, stream.Documents[1].RootNode, "The config holds more than one YAML document ('---'); only one is read.", "Remove the extra '---' and what follows it, or merge the documents.");
            }

            // Bounds before any key is read: aliases share nodes, so a walk of the expansion could be exponential.
            ConfigBounds.CheckExpansion(context, stream.Documents[0].RootNode);
            config = ConfigReader.Read(context, stream.Documents[0].RootNode);
            ConfigBounds.CheckCounts(context, config);
        }

        if (context.HasErrors)
        {
            // In file order, so the first one printed is the first one to fix.
            throw new ConfigException([.. context.Diagnostics.OrderBy(static d => d.Line ?? 0).ThenBy(static d => d.Column ?? 0)]);
        }

        return config;
    }

    private static string Locate(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return full;
        }

        if (Directory.Exists(full))
        {
            foreach (var name in DefaultFileNames)
            {
                var candidate = Path.Combine(full, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new ConfigException([new Diagnostic(PgCode.ConfigNotFound, DiagnosticSeverity.Error, $"No {string.Join(" or ", DefaultFileNames)} in the folder {full}.", full,
                Hint: "Create one (docs/config.md has a full example), or pass the config file's path.")]);
        }

        throw new ConfigException([new Diagnostic(PgCode.ConfigNotFound, DiagnosticSeverity.Error, $"The config file {full} does not exist.", full,
            Hint: "Check the path, or create the file (docs/config.md has a full example).")]);
    }

    private static (int Line, int Column) Position(string text, YamlException e)
    {
        var line = Math.Max(1, (int)e.Start.Line);
        var column = Math.Max(1, (int)e.Start.Column);

        // For a tab in indentation YamlDotNet marks the start of the enclosing mapping, which may be far
        // above; point at the tab itself.
        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            var lines = text.Split('\n');
            for (var i = line - 1; i < lines.Length; i++)
            {
                var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t', 0, indent);
                if (tab >= 0)
                {
                    return (i + 1, tab + 1);
                }
            }
        }

        return (line, column);
    }

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the diagnostic carries the position itself.
    private static string WithoutMarks(string message) => Marks().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex Marks();
}
