using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// State of one load: the file, its folder, the environment for path variables, and every diagnostic so
/// far. Readers report and carry on, so one run shows the user all their mistakes rather than one per run.
/// </summary>
internal sealed class ConfigContext(string file, Func<string, string?> environment, Fetch.ResourceFetcher? fetcher = null)
{
    private readonly List<Diagnostic> _diagnostics = [];

    public string File { get; } = file;

    public string Directory { get; } = System.IO.Path.GetDirectoryName(file)!;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Fetches <c>fetch:</c> files while the config loads (the per-user cache unless a test gives another).</summary>
    public Fetch.ResourceFetcher Fetcher => fetcher ?? Fetch.ResourceFetcher.Default;

    public bool HasErrors => _diagnostics.Count > 0;

    // YamlDotNet marks are 1-based already, which is what editors and MSBuild expect.
    public SourceLocation Locate(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Report(PgCode code, YamlNode node, string message, string? hint = null) =>
        Report(code, (int)node.Start.Line, (int)node.Start.Column, message, hint);

    public void Report(ValueError error, YamlNode node) => Report(error.Code, node, error.Message, error.Hint);

    public void Report(PgCode code, int line, int column, string message, string? hint = null)
    {
        var d = new Diagnostic(code, DiagnosticSeverity.Error, message, File, line, column, hint);

        // Profile budgets are checked once per model they apply to; one finding is enough.
        if (!_diagnostics.Contains(d))
        {
            _diagnostics.Add(d);
        }
    }

    /// <summary>
    /// Expands variables in a path value and resolves it against the config's folder. Returns the absolute
    /// path and the path relative to the config's folder with '/' separators, or null after reporting.
    /// </summary>
    public (string Full, string Relative)? ResolvePath(YamlNode node, string text)
    {
        if (!PathVariables.TryExpand(text, environment, out var expanded, out var error))
        {
            Report(error, node);
            return null;
        }

        if (expanded.Length == 0)
        {
            Report(PgCode.ConfigInvalidValue, node, $"The path '{text}' is empty.", "Write a path relative to the config's folder.");
            return null;
        }

        // Configs are shared between Windows and Unix runners: accept either separator.
        var portable = expanded.Replace('\\', '/');
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, portable));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Report(PgCode.ConfigInvalidValue, node, $"'{expanded}' is not a valid path: {e.Message}", "Write a path relative to the config's folder.");
            return null;
        }

        var relative = System.IO.Path.GetRelativePath(Directory, full).Replace('\\', '/');
        return (full, relative);
    }
}
