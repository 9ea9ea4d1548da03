using System.IO.Compression;
using Xunit;

namespace PipelineGate.MSBuild.Tests;

/// <summary>
/// The dotnet tool package, as the GitHub Action and the Azure DevOps task install it: packed from
/// src/PipelineGate.Cli into a local folder feed, installed with --tool-path into a temp folder, and run
/// on the bundled sample. Runs in the package collection so that it never packs while another pack runs.
/// </summary>
[Collection(UsesPackage.Name)]
public sealed class ToolPackageTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);
    private readonly string _root = Directory.CreateTempSubdirectory("pg-tool-").FullName;

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
    public void Packed_tool_installs_from_a_folder_feed_and_gates_the_sample()
    {
        var feed = Path.Combine(_root, "feed");
        var version = $"0.1.0-tool.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid().ToString("N")[..8]}";
        var project = Path.Combine(PackageFixture.RepoRoot, "src", "PipelineGate.Cli", "PipelineGate.Cli.csproj");
        var pack = DotnetProcess.Run(PackageFixture.RepoRoot, Timeout, null,
            "pack", project, "-c", PackageFixture.Configuration, "-o", feed, "-p:PackageVersion=" + version,
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m");
        var nupkg = Path.Combine(feed, $"PipelineGate.Tool.{version}.nupkg");
        Assert.True(pack.ExitCode == 0 && File.Exists(nupkg), pack.ToString());

        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var names = zip.Entries.Select(static e => e.FullName).ToArray();
            Assert.Contains(names, static n => n.EndsWith("runtimes/linux-x64/native/libonnxruntime.so", StringComparison.Ordinal));
            Assert.Contains(names, static n => n.EndsWith("runtimes/win-x64/native/onnxruntime.dll", StringComparison.Ordinal));
            Assert.Contains(names, static n => n.EndsWith("runtimes/osx-arm64/native/libonnxruntime.dylib", StringComparison.Ordinal));
            Assert.Contains(names, static n => n.EndsWith("Microsoft.ML.OnnxRuntime.dll", StringComparison.Ordinal));
            Assert.DoesNotContain(names, static n => n.Contains("providers_cuda", StringComparison.Ordinal));
        }

        var toolPath = Path.Combine(_root, "tool");
        var install = DotnetProcess.Run(_root, Timeout, null,
            "tool", "install", "PipelineGate.Tool", "--tool-path", toolPath, "--version", version, "--add-source", feed);
        Assert.True(install.ExitCode == 0, install.ToString());

        var exe = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "pipelinegate.exe" : "pipelinegate");
        var work = Path.Combine(_root, "work");
        CopySample(work);
        var check = DotnetProcess.Run(exe, work, Timeout, null, "check", "--config", "pipelinegate.yml", "--out", "out");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(File.Exists(Path.Combine(work, "out", "results.json")), check.ToString());
        Assert.Contains("PASSED", check.Output, StringComparison.Ordinal);
    }

    private static void CopySample(string destination)
    {
        var source = Path.Combine(PackageFixture.RepoRoot, "samples");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
