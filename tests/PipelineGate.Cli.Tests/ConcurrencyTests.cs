using System.Diagnostics;
using System.Xml.Linq;
using PipelineGate.Cli.Tests.Publish;
using PipelineGate.Onnx.IO;
using PipelineGate.Publish;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// Two gates on one cache never corrupt it or each other's outputs, and a run killed at any point leaves
/// the previous results (or none), never a partial file. Real CLI processes on the real sample.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _cache;

    public ConcurrencyTests()
    {
        _cache = Path.Combine(_dir.Path, "cache");
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("digits"), Path.Combine(_dir.Path, "digits"));
        _dir.Write("pipelinegate.yml", """
            version: 1
            measure: { duration: 500ms, min-samples: 20 }
            models:
              - path: digits/digits_mlp.onnx
                name: digits
                data: { path: digits/eval, labels: labels }
                metric: top1
                variants:
                  - name: int8
                    steps:
                      - quantize: { mode: dynamic }
                budgets:
                  - { metric: file-size, max: 100 KB }
                  - { metric: accuracy, variant: int8, max-drop: 5 pp }
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_gates_on_one_cache_build_the_variant_once_and_each_writes_its_own_complete_results()
    {
        using var a = Start("-o", "out-a");
        using var b = Start("-o", "out-b");
        var (ra, rb) = (await Finish(a), await Finish(b));

        Assert.True(ra.Code == 0, ra.Err);
        Assert.True(rb.Code == 0, rb.Err);
        var resultA = ResultsFile.Read(Path.Combine(_dir.Path, "out-a", "results.json"));
        var resultB = ResultsFile.Read(Path.Combine(_dir.Path, "out-b", "results.json"));
        var int8A = resultA.Models.Single().Variants.Single(static v => v.Name == "int8");
        var int8B = resultB.Models.Single().Variants.Single(static v => v.Name == "int8");
        Assert.Equal(int8A.Path, int8B.Path); // one content-addressed build in the shared cache
        Assert.StartsWith(Path.Combine(_cache, "variants"), int8A.Path, StringComparison.Ordinal);
        Assert.Equal((int8A.Size.FileBytes, int8A.Size.ParameterCount), (int8B.Size.FileBytes, int8B.Size.ParameterCount));
        Assert.NotNull(ModelFile.Load(int8A.Path).Graph); // complete and loadable
        var cacheFiles = Directory.GetFiles(_cache, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToArray();
        Assert.DoesNotContain(cacheFiles, static f => f!.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Single(cacheFiles, static f => f!.EndsWith(".onnx", StringComparison.Ordinal));
        Assert.Equal(Sha(CliProcess.Sample("digits", "digits_mlp.onnx")), Sha(Path.Combine(_dir.Path, "digits", "digits_mlp.onnx"))); // the user's model is untouched
    }

    [Theory]
    [InlineData(300)]
    [InlineData(1500)]
    [InlineData(3000)]
    [InlineData(6000)]
    public async Task A_run_killed_at_any_point_leaves_the_old_results_or_complete_new_ones(int killAfterMs)
    {
        var first = await Finish(Start("-o", "out"));
        Assert.True(first.Code == 0, first.Err);
        var old = Snapshot();

        using var run = Start("-o", "out");
        await Task.Delay(killAfterMs);
        run.Kill(); // the gate alone, SIGKILL: as a cancelled CI job; its worker must notice and stop
        await run.WaitForExitAsync();

        foreach (var (name, content) in Snapshot())
        {
            if (old.TryGetValue(name, out var before) && before == content)
            {
                continue;
            }

            Complete(name, content); // a new file is whole, or the old one is untouched
        }

        Assert.Equal(old.Keys.Order(), Snapshot().Keys.Order());
        Assert.True(WorkersGone(TimeSpan.FromSeconds(10)), "a worker outlived its killed gate");
    }

    private static void Complete(string name, string content)
    {
        switch (Path.GetExtension(name))
        {
            case ".json":
                Assert.NotNull(ResultsFile.Parse(content, name));
                break;
            case ".xml":
                Assert.NotNull(XDocument.Parse(content));
                break;
            case ".html":
                Assert.EndsWith("</html>\n", content, StringComparison.Ordinal);
                break;
            default:
                Assert.Contains("Reproduce", content, StringComparison.Ordinal);
                break;
        }
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(Path.Combine(_dir.Path, "out")).ToDictionary(static f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);

    private bool WorkersGone(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (IsolationTestsSupport.Workers(_dir.Path).Length == 0)
            {
                return true;
            }

            Thread.Sleep(200);
        }

        return false;
    }

    private Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(CliProcess.CliDll);
        psi.ArgumentList.Add("check");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["PIPELINEGATE_CACHE"] = _cache;
        return Process.Start(psi)!;
    }

    private static async Task<(int Code, string Err)> Finish(Process p)
    {
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, stderr + await stdout);
    }

    private static string Sha(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
