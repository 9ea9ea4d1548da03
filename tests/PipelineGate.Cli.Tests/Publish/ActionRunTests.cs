using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// The composite Action as a pull_request job runs it: action.yml's own steps, run locally by
/// <see cref="ActionRunner"/> with bash, installing PipelineGate.Tool packed from this tree into a local
/// folder feed (the <c>feed</c> input), gating a copy of the sample and publishing to the loopback
/// <see cref="FakeGitHub"/>. One test, three runs in one job's RUNNER_TEMP (as two uses of the Action in
/// one job would share it): a pass, a failing budget, and the same failure under fail-on: never.
/// </summary>
public sealed class ActionRunTests : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);
    private static readonly string[] Inherited = ["PATH", "HOME", "USER", "LANG", "TMPDIR", "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_HTTP_CACHE_PATH", "XDG_CACHE_HOME"];
    private readonly FakeGitHub _server = new();
    private readonly TempDir _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Action_installs_the_packed_tool_gates_the_sample_and_its_exit_code_follows_the_verdict()
    {
        var feed = Path.Combine(_dir.Path, "feed");
        var version = $"0.1.0-action.{DateTime.UtcNow:yyyyMMddHHmmss}.r{Guid.NewGuid().ToString("N")[..8]}";
        Pack(feed, version);

        var workspace = Path.Combine(_dir.Path, "workspace");
        CopySample(Path.Combine(workspace, "models"));
        var runnerTemp = Directory.CreateDirectory(Path.Combine(_dir.Path, "runner-temp")).FullName;
        var eventPath = _dir.Write("event.json", JsonSerializer.Serialize(new
        {
            number = 42,
            pull_request = new { number = 42, head = new { sha = "c0ffee0000000000000000000000000000000001", repo = new { full_name = "acme/app" } }, @base = new { @ref = "main" } },
        }));
        var runner = new ActionRunner(Path.Combine(CliProcess.RepoRoot, ".github", "actions", "pipelinegate", "action.yml"),
            new Dictionary<string, string> { ["token"] = FakeGitHub.WriteToken, ["workspace"] = workspace });
        var with = new Dictionary<string, string> { ["working-directory"] = "models", ["version"] = version, ["feed"] = feed };

        // 1. The sample passes: exit 0; comment: always posts the sticky comment, the check run succeeds.
        var pass = Run(runner, new(with) { ["comment"] = "always" }, workspace, runnerTemp, eventPath, out var passSummary);
        Assert.True(pass.ExitCode == 0, pass.Log);
        Assert.Equal("pass", pass.Outputs["result"]);
        Assert.Equal("false", pass.Outputs["failed"]);
        Assert.Equal(Path.Combine(workspace, "models", "pipelinegate-out"), pass.Outputs["report-dir"]);
        var comment = Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Contains("<!-- pipelinegate:", (string)comment["body"]!, StringComparison.Ordinal);
        Assert.Contains("✅", (string)comment["body"]!, StringComparison.Ordinal);
        Assert.Equal("success", (string?)Assert.Single(_server.CheckRuns)["conclusion"]);
        Assert.Contains("PipelineGate", File.ReadAllText(passSummary), StringComparison.Ordinal);
        AssertArtifactUpload(pass);
        Assert.DoesNotContain("\u001b[", pass.Steps.Single(static s => s.Name == "gate").Output, StringComparison.Ordinal); // a runner's log is a pipe
        Assert.DoesNotContain(FakeGitHub.WriteToken, pass.Log.Replace("::add-mask::" + FakeGitHub.WriteToken, "", StringComparison.Ordinal), StringComparison.Ordinal);

        // 2. A file-size budget the model cannot meet: the step fails with exit 1, the same comment now says so.
        var config = Path.Combine(workspace, "models", "pipelinegate.yml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("{ metric: file-size, max: 100 KB }", "{ metric: file-size, max: 10 KB }", StringComparison.Ordinal));
        var fail = Run(runner, with, workspace, runnerTemp, eventPath, out _);
        Assert.True(fail.ExitCode == 1, fail.Log);
        Assert.Equal(1, fail.Steps.Single(static s => s.Name == "gate").ExitCode);
        Assert.Equal("fail", fail.Outputs["result"]);
        Assert.Equal("true", fail.Outputs["failed"]);
        comment = Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Contains("PG4201", (string)comment["body"]!, StringComparison.Ordinal);
        Assert.Equal("failure", (string?)_server.CheckRuns.Last()["conclusion"]);
        AssertArtifactUpload(fail); // if: always() uploads the report of a failed gate too

        // 3. fail-on: never reports the failure and lets the job go on.
        var never = Run(runner, new(with) { ["fail-on"] = "never" }, workspace, runnerTemp, eventPath, out _);
        Assert.True(never.ExitCode == 0, never.Log);
        Assert.Equal("fail", never.Outputs["result"]);
        Assert.Equal("false", never.Outputs["failed"]);
        Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Equal(3, _server.CheckRuns.Count);
    }

    private ActionRunner.Run Run(ActionRunner runner, Dictionary<string, string> with, string workspace, string runnerTemp, string eventPath, out string summary)
    {
        summary = _dir.Write($"summary-{Guid.NewGuid():N}.md", "");
        var env = Inherited.Where(static n => Environment.GetEnvironmentVariable(n) is { Length: > 0 })
            .ToDictionary(static n => n, static n => Environment.GetEnvironmentVariable(n)!);
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_REPOSITORY"] = FakeGitHub.Owner + "/" + FakeGitHub.Repo,
            ["GITHUB_API_URL"] = _server.ApiUrl.ToString().TrimEnd('/'),
            ["GITHUB_EVENT_NAME"] = "pull_request",
            ["GITHUB_EVENT_PATH"] = eventPath,
            ["GITHUB_REF"] = "refs/pull/42/merge",
            ["GITHUB_SHA"] = "9c0ffee000000000000000000000000000000000",
            ["GITHUB_WORKSPACE"] = workspace,
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["RUNNER_TEMP"] = runnerTemp,
            ["NUGET_PACKAGES"] = Path.Combine(_dir.Path, "nuget-packages"), // a fresh runner's empty cache; no other test's tool versions
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        })
        {
            env[k] = v;
        }

        return runner.Execute(with, env);
    }

    private static void AssertArtifactUpload(ActionRunner.Run run)
    {
        var upload = run.Steps.Single(static s => s.Uses?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.True(upload.Ran, run.Log);
        Assert.True(File.Exists(Path.Combine(upload.With["path"], "results.json")), $"the artifact path '{upload.With["path"]}' holds no results.json\n{run.Log}");
        var setup = run.Steps.Single(static s => s.Uses?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
        Assert.False(setup.Ran, "the .NET 10 SDK is here, so the Action must not set one up: " + run.Log);
    }

    private static void Pack(string feed, string version)
    {
        var configuration = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = CliProcess.RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "pack", Path.Combine(CliProcess.RepoRoot, "src", "PipelineGate.Cli", "PipelineGate.Cli.csproj"), "-c", configuration, "-o", feed,
            "-p:PackageVersion=" + version, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-tl:off", "-v:m",
        })
        {
            psi.ArgumentList.Add(a);
        }

        // `dotnet test` leaves MSBuild variables that would point the child at the parent's MSBuild.
        foreach (var key in psi.Environment.Keys.Where(static k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(PackTimeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet pack of the tool did not finish in time.");
        }

        p.WaitForExit();
        Assert.True(p.ExitCode == 0 && File.Exists(Path.Combine(feed, $"PipelineGate.Tool.{version}.nupkg")), $"dotnet pack failed\n{stdout.Result}\n{stderr.Result}");
    }

    private static void CopySample(string destination)
    {
        var source = Path.Combine(CliProcess.RepoRoot, "samples");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
