using PipelineGate.TestAssets;
using System.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Tests.Gate.Config;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// A temporary copy of the digits sample with a config written by the test, run through the real gate
/// (real ONNX Runtime, real files). Timing budgets in these tests are loose or absent: tests assert
/// outcomes that do not depend on how fast this machine is.
/// </summary>
internal sealed class SampleWorkspace : IDisposable
{
    public const string FastMeasure = "measure: { duration: 0.2s, min-samples: 20, max-samples: 400 }";

    public SampleWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "pg-gate-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(RepoPaths.Of("samples/digits"), Path.Combine(Root, "digits"));
    }

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "pipelinegate.yml");

    public string ModelPath => Path.Combine(Root, "digits", "digits_mlp.onnx");

    /// <summary>
    /// Writes a config for the digits model. <paramref name="modelLines"/> are further keys of the model
    /// entry (variants:, budgets:), written with the indentation they have under "- path:" (4 spaces).
    /// </summary>
    public void WriteConfig(string modelLines, string topLevel = "")
    {
        var header = "version: 1\n" + FastMeasure + "\n" + topLevel + (topLevel.Length > 0 ? "\n" : "")
            + "models:\n  - path: digits/digits_mlp.onnx\n    name: digits\n    data: { path: digits/eval, labels: labels }\n";
        File.WriteAllText(ConfigPath, header + modelLines.TrimEnd() + "\n");
    }

    /// <summary>Uses the bundled sample's own config (samples/pipelinegate.yml, its budgets and profiles) as it is.</summary>
    public void UseSampleConfig() => File.Copy(RepoPaths.Of("samples/pipelinegate.yml"), ConfigPath, overwrite: true);

    /// <summary>Makes the workspace a git repository with everything committed on main.</summary>
    public void CommitAll()
    {
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "base");
    }

    /// <summary>Line (1-based) of the first config line containing <paramref name="text"/>.</summary>
    public int LineOf(string text) => Array.FindIndex(File.ReadAllLines(ConfigPath), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    public GateResult Run(string? baselineRef = null, string? baselineResults = null, string? profile = null, IProgress<GateProgress>? progress = null) =>
        GateRunner.Run(ConfigLoader.Load(ConfigPath), new GateRunOptions
        {
            WorkDirectory = Path.Combine(Root, ".work"),
            ToolVersion = "test",
            BaselineRef = baselineRef,
            BaselineResults = baselineResults,
            Profile = profile,
        }, progress);

    /// <summary>Runs git in the workspace; fails the test when git fails.</summary>
    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
