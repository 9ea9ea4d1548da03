using System.Diagnostics;
using System.Text;

namespace PipelineGate.Gate.Baselines;

/// <summary>
/// The few git operations the baseline needs, run through the git command line (present on every CI
/// runner). Blobs are streamed to files so that large models never pass through a string.
/// </summary>
public sealed class GitRepository
{
    private GitRepository(string root) => Root = root;

    public string Root { get; }

    /// <summary>The repository containing <paramref name="path"/>, or null when it is not in one (or git is missing).</summary>
    public static GitRepository? Discover(string path)
    {
        var dir = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var (code, output, _) = Run(dir, "rev-parse", "--show-toplevel");
        return code == 0 ? new GitRepository(output.Trim()) : null;
    }

    /// <summary>The commit a ref names, or null when it does not exist.</summary>
    public string? ResolveCommit(string gitRef)
    {
        var (code, output, _) = Run(Root, "rev-parse", "--verify", "--quiet", gitRef + "^{commit}");
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>The merge base of HEAD and <paramref name="commit"/> (the commit itself when HEAD is not a descendant and no base exists).</summary>
    public string? MergeBase(string commit)
    {
        var (code, output, _) = Run(Root, "merge-base", "HEAD", commit);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>Path relative to the repository root with '/' separators (as git names files).</summary>
    public string RelativePath(string fullPath) => Path.GetRelativePath(Root, Path.GetFullPath(fullPath)).Replace('\\', '/');

    /// <summary>Writes the file as it is at <paramref name="commit"/> to <paramref name="destination"/>; false when it does not exist there.</summary>
    public bool TryExport(string commit, string repoRelativePath, string destination)
    {
        var (exists, _, _) = Run(Root, "cat-file", "-e", $"{commit}:{repoRelativePath}");
        if (exists != 0)
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var psi = Start(Root, "cat-file", "blob", $"{commit}:{repoRelativePath}");
        using var process = Process.Start(psi)!;

        // Temp + rename: a gate that reads this export while another run of the same work folder writes it,
        // or a run killed mid-export, never sees a truncated model.
        var ok = false;
        try
        {
            IO.AtomicFile.Write(destination, file =>
            {
                process.StandardOutput.BaseStream.CopyTo(file);
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new IOException($"git cat-file failed for {repoRelativePath} at {commit}.");
                }
            });
            ok = true;
        }
        catch (IOException) when (process.HasExited && process.ExitCode != 0)
        {
        }

        return ok;
    }

    /// <summary>Short form of a commit for reports.</summary>
    public static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    private static (int Code, string Output, string Error) Run(string dir, params string[] args)
    {
        try
        {
            using var process = Process.Start(Start(dir, args))!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", ex.Message);
        }
    }

    private static ProcessStartInfo Start(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }
}
