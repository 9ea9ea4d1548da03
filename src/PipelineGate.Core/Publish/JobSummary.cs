using System.Text;

namespace PipelineGate.Publish;

/// <summary>
/// Appends the report to the step's summary file ($GITHUB_STEP_SUMMARY). The runner drops a summary
/// over 1 MiB entirely (not truncated), so what we add must fit beside what earlier commands of the
/// same step wrote; when the full report does not, the short one goes instead.
/// </summary>
public static class JobSummary
{
    /// <summary>The runner's limit per step summary, in bytes.</summary>
    public const long MaxBytes = 1024 * 1024;

    /// <returns>False when there is no summary file or nothing fitted.</returns>
    public static bool Append(string? path, string markdown, string shortMarkdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(shortMarkdown);
        if (path is not { Length: > 0 })
        {
            return false;
        }

        var existing = File.Exists(path) ? new FileInfo(path).Length : 0;
        foreach (var text in new[] { markdown, shortMarkdown })
        {
            var bytes = Encoding.UTF8.GetBytes(text + "\n");
            if (existing + bytes.Length <= MaxBytes)
            {
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                stream.Write(bytes);
                return true;
            }
        }

        return false;
    }
}
