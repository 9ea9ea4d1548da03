using System.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>
/// similarity.spearman against a base branch measured in the same run (<c>--baseline-ref</c>): the real MiniLM committed
/// in a temporary git repository, unchanged in the working tree, so the baseline's variants are the same models and
/// their paired change of ρ on the same pairs is exactly zero.
/// </summary>
public sealed class SimilarityBaselineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pg-similarity-base-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void An_unchanged_model_against_the_base_ref_has_a_zero_paired_change_and_passes_its_regression_budget()
    {
        Directory.CreateDirectory(_root);
        File.Copy(RealEncoder.MiniLmModel, Path.Combine(_root, "minilm.onnx"));
        File.Copy(RealEncoder.MiniLmVocab, Path.Combine(_root, "vocab.txt"));
        File.Copy(RepoPaths.Of("tests/PipelineGate.Core.Tests/TestData/pairs/prefix-pairs.csv"), Path.Combine(_root, "pairs.csv"));
        var config = Path.Combine(_root, "pipelinegate.yml");
        File.WriteAllText(config, $$"""
            version: 1
            {{SampleWorkspace.FastMeasure}}
            models:
              - path: minilm.onnx
                data: { pairs: pairs.csv, tokenizer: vocab.txt }
                targets: [cpu]
                variants:
                  - name: int8
                    steps: [ { quantize: { mode: dynamic } } ]
                budgets:
                  - { metric: similarity.spearman, max-regression: 0 pp }
            """);
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "base");

        var r = GateRunner.Run(ConfigLoader.Load(config), new GateRunOptions { WorkDirectory = Path.Combine(_root, ".work"), ToolVersion = "test", BaselineRef = "main" });

        foreach (var v in r.Models.Single().Variants)
        {
            // Pairs alone: timed with a tokenized pair sentence (random token ids would index past the embedding tables).
            Assert.Equal("measured", v.Targets.Single().Status);
            Assert.NotNull(v.Targets.Single().Latency);

            var change = Assert.IsType<PairedChange>(v.Similarity!.ChangeFromBaseline);
            Assert.Equal(v.Similarity.Value, v.BaselineSimilarity!.Value);
            Assert.Equal(0.0, change.Difference);
            Assert.Equal(0.0, change.Lower);
            Assert.Equal(0.0, change.Upper);
            Assert.Equal("paired bootstrap", change.Test);
        }

        var checks = r.Checks.Where(static c => c.Metric == "similarity.spearman").ToArray();
        Assert.Equal(2, checks.Length);
        Assert.All(checks, static c =>
        {
            Assert.Equal(BudgetKind.Regression, c.Kind);
            Assert.Equal(CheckOutcome.Pass, c.Outcome);
            Assert.Equal(0.0, c.DeltaLower);
            Assert.Equal(0.0, c.DeltaUpper);
        });
    }

    private void Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
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
}
