using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Xunit;

namespace PipelineGate.Cli.Tests.AzureDevOps;

/// <summary>
/// The Azure DevOps task builds for real: npm ci from the committed lockfiles, the handler's mock-run
/// tests, and tfx-cli packaging the .vsix that carries the task folder with its node_modules.
/// </summary>
public sealed class ExtensionPackageTests : IClassFixture<ExtensionPackageTests.NpmInstall>
{
    private readonly NpmInstall _npm;

    public ExtensionPackageTests(NpmInstall npm) => _npm = npm;

    [Fact]
    public void Handler_tests_pass_under_npm_test()
    {
        var (code, output) = Npm("test");

        Assert.True(code == 0, output);
        Assert.Matches(@"# pass ([1-9]\d*)", output);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Vsix_builds_and_its_manifest_names_the_task_folder()
    {
        var dist = Path.Combine(TaskManifest.Folder, "dist");
        if (Directory.Exists(dist))
        {
            Directory.Delete(dist, recursive: true);
        }

        var (code, output) = Npm("run package");

        Assert.True(code == 0, output);
        var vsix = Assert.Single(Directory.GetFiles(dist, "*.vsix"));
        using var zip = ZipFile.OpenRead(vsix);
        var names = zip.Entries.Select(static e => e.FullName.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("PipelineGateV1/task.json", names);
        Assert.Contains("PipelineGateV1/index.js", names);
        Assert.Contains("PipelineGateV1/node_modules/azure-pipelines-task-lib/task.js", names);
        using var manifest = JsonDocument.Parse(new StreamReader(zip.GetEntry("extension.vsomanifest")!.Open()).ReadToEnd());
        var contribution = Assert.Single(manifest.RootElement.GetProperty("contributions").EnumerateArray());
        Assert.Equal("ms.vss-distributed-task.task", contribution.GetProperty("type").GetString());
        Assert.Equal("PipelineGateV1", contribution.GetProperty("properties").GetProperty("name").GetString());
    }

    private (int Code, string Output) Npm(string args) => NpmInstall.Run(args, _npm.Output);

    /// <summary>npm ci in tasks/ (and, by its postinstall, in the task folder) once for the class.</summary>
    public sealed class NpmInstall
    {
        public NpmInstall()
        {
            var (code, output) = Run("ci --no-audit --no-fund", "");
            Output = output;
            if (code != 0)
            {
                throw new InvalidOperationException("npm ci in tasks/ failed (npm and the registry must be reachable):\n" + output);
            }
        }

        public string Output { get; }

        internal static (int Code, string Output) Run(string args, string before)
        {
            var psi = new ProcessStartInfo("npm", args)
            {
                WorkingDirectory = TaskManifest.Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.Environment["NO_COLOR"] = "1";
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, before + stdout.Result + stderr);
        }
    }
}
