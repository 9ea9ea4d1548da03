using System.Diagnostics;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// A temporary folder with the real all-MiniLM-L6-v2 (minilm.onnx), its vocab.txt and the 36 word-overlap pairs of
/// TestData/pairs (pairs.csv), for gates on labelled pairs; the test writes pipelinegate.yml.
/// </summary>
internal sealed class MiniLmPairsWorkspace : IDisposable
{
    private const string PairsOnlyHead = $$"""
        version: 1
        {{SampleWorkspace.FastMeasure}}
        models:
          - path: minilm.onnx
            data: { pairs: pairs.csv, tokenizer: vocab.txt }
            targets: [cpu]

        """;

    public MiniLmPairsWorkspace(string prefix)
    {
        Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        File.Copy(RealEncoder.MiniLmModel, Path.Combine(Root, "minilm.onnx"));
        File.Copy(RealEncoder.MiniLmVocab, Path.Combine(Root, "vocab.txt"));
        File.Copy(RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv"), PairsPath);
    }

    public string Root { get; }

    public string PairsPath => Path.Combine(Root, "pairs.csv");

    public string ConfigPath => Path.Combine(Root, "pipelinegate.yml");

    public string WorkDirectory => Path.Combine(Root, ".work");

    public void WriteConfig(string yaml) => File.WriteAllText(ConfigPath, yaml);

    /// <summary>
    /// Writes pipelinegate.yml with one model, minilm.onnx timed and evaluated on its pairs alone (fast measure, cpu),
    /// followed by <paramref name="rest"/>: the model's further keys indented by four spaces, then any top-level sections.
    /// </summary>
    public void WritePairsOnlyConfig(string rest) => WriteConfig(PairsOnlyHead + rest);

    /// <summary>Runs git in the workspace; fails the test when git fails.</summary>
    public void Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
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
}
