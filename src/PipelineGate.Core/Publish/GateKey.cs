using System.Globalization;
using System.Text;

namespace PipelineGate.Publish;

/// <summary>
/// Names one gate within a repository: the config's path relative to the repository root with '/'
/// separators, plus <c>#profile</c> when a profile was given (<c>models/pipelinegate.yml#pr</c>). The sticky
/// comment, the check run and the job summary are found and named by it, so two gates in one
/// repository (or one config run with two profiles) never overwrite each other's comment.
/// </summary>
public sealed record GateKey(string Value)
{
    /// <summary>The key of a config, resolved against <paramref name="repositoryRoot"/> (or the git root above it).</summary>
    public static GateKey For(string configPath, string? profile, string? repositoryRoot = null)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        var relative = RelativePath(configPath, repositoryRoot);
        return new GateKey(profile is { Length: > 0 } p ? relative + "#" + p : relative);
    }

    /// <summary>
    /// The config's path relative to the root, with '/' separators. A path outside the root (or without
    /// any root) falls back to the path below the nearest folder holding <c>.git</c>, then to the file name.
    /// </summary>
    public static string RelativePath(string path, string? repositoryRoot)
    {
        var full = Path.GetFullPath(path);
        var root = repositoryRoot is { Length: > 0 } r && IsUnder(full, Path.GetFullPath(r)) ? Path.GetFullPath(r) : FindGitRoot(full);
        var relative = root is null ? Path.GetFileName(full) : Path.GetRelativePath(root, full);
        return relative.Replace('\\', '/');
    }

    /// <summary>
    /// The hidden HTML comment that marks the gate's sticky comment. The key is percent-encoded where it
    /// could end the HTML comment or break the line, so any path makes a marker that parses back.
    /// </summary>
    public string Marker => "<!-- pipelinegate:" + Encode(Value) + " -->";

    public override string ToString() => Value;

    internal static string? FindGitRoot(string fullPath)
    {
        for (var dir = Path.GetDirectoryName(fullPath); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir;
            }
        }

        return null;
    }

    private static bool IsUnder(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != path && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static string Encode(string key)
    {
        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            var ch = key[i];
            var unsafeChar = ch is '%' or '>' or '<' or '\r' or '\n' or ' ' || (ch == '-' && i + 1 < key.Length && key[i + 1] == '-') || char.IsControl(ch);
            if (unsafeChar)
            {
                sb.Append('%').Append(((int)ch).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }
}
