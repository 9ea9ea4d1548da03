using System.Text;
using Xunit;

namespace PipelineGate.MSBuild.Tests;

/// <summary>The task's own parsing, without MSBuild: results.json, canonical stderr lines, argument quoting.</summary>
public sealed class TaskParsingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-msbuild-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Failed_and_warned_checks_and_notices_become_located_coded_messages()
    {
        var messages = Read("""
            {
              "schema": "pipelinegate/results/v1",
              "checks": [
                { "model": "digits", "variant": "original", "target": "\u2014", "metric": "file-size", "outcome": "fail",
                  "code": "sizeOverBudget", "codeText": "PG4201", "message": "file-size is 27,775 B (\u2264 1 KB).",
                  "file": "/r/pipelinegate.yml", "line": 14, "column": 7 },
                { "model": "digits", "variant": "int8", "target": "cpu", "metric": "latency.p90", "outcome": "warn",
                  "code": "latencyRegression", "codeText": "PG4102", "message": "slower {by} 3%.", "file": "/r/pipelinegate.yml", "line": 15, "column": 9 },
                { "model": "digits", "variant": "original", "target": "cpu", "metric": "latency.p50", "outcome": "pass", "message": "ok" }
              ],
              "notices": [
                { "code": "targetSkipped", "codeText": "PG4002", "severity": "warning", "message": "cuda skipped.", "hint": "Use a GPU runner." }
              ]
            }
            """);

        Assert.Equal(3, messages.Count);
        var fail = messages[0];
        Assert.Equal(GateSeverity.Error, fail.Severity);
        Assert.Equal("PG4201", fail.Code);
        Assert.Equal("digits/original: file-size is 27,775 B (≤ 1 KB).", fail.Text);
        Assert.Equal(("/r/pipelinegate.yml", 14, 7), (fail.File, fail.Line, fail.Column));
        Assert.Equal((GateSeverity.Warning, "PG4102", "digits/int8/cpu: slower {by} 3%."), (messages[1].Severity, messages[1].Code, messages[1].Text));
        Assert.Equal((GateSeverity.Warning, "PG4002", "cuda skipped. Use a GPU runner."), (messages[2].Severity, messages[2].Code, messages[2].Text));
    }

    [Fact]
    public void Without_codeText_the_code_name_maps_through_PgCode()
    {
        var messages = Read("""
            {"checks": [
              {"model": "m", "variant": "v", "target": "cpu", "outcome": "fail", "code": "accuracyDropFromOriginal", "message": "x"},
              {"model": "m", "variant": "v", "target": "cpu", "outcome": "fail", "code": "notACode", "message": "y"}
            ], "notices": []}
            """);

        Assert.Equal("PG4302", messages[0].Code);
        Assert.Null(messages[1].Code);
    }

    [Fact]
    public void Warn_only_results_turn_failures_into_warnings()
    {
        var messages = Read("""{"warnOnly": true, "checks": [{"model": "m", "variant": "v", "outcome": "fail", "codeText": "PG4201", "message": "big"}]}""");

        Assert.Equal(GateSeverity.Warning, Assert.Single(messages).Severity);
    }

    [Fact]
    public void Malformed_results_are_a_format_error_not_a_crash()
    {
        Assert.Throws<FormatException>(() => Read("""{"checks": [ { "model": "m" """));
    }

    [Fact]
    public void Results_of_another_schema_are_refused()
    {
        var ex = Assert.Throws<FormatException>(() => Read("""{"schema": "pipelinegate/results/v2", "checks": []}"""));

        Assert.Contains("pipelinegate/results/v1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/w/pipelinegate.yml(3,5): error PG1003: Unknown key 'colour'. Valid keys: path.", "/w/pipelinegate.yml", 3, 5, "PG1003")]
    [InlineData(@"C:\repo (x)\pipelinegate.yml(12,1): warning PG4002: skipped", @"C:\repo (x)\pipelinegate.yml", 12, 1, "PG4002")]
    [InlineData("models/a.onnx: error PG2004: LFS pointer. Run 'git lfs pull'.", "models/a.onnx", 0, 0, "PG2004")]
    [InlineData("error PG1010: --shard 'x' is not i/n.", null, 0, 0, "PG1010")]
    public void Canonical_stderr_lines_parse_with_their_origin(string line, string? file, int lineNumber, int column, string code)
    {
        var m = CanonicalLine.TryParse(line);

        Assert.NotNull(m);
        Assert.Equal((file, lineNumber, column, code), (m.File, m.Line, m.Column, m.Code));
    }

    [Theory]
    [InlineData("digits/original: build")]
    [InlineData("pipelinegate: internal error (a bug in PipelineGate; please report it with this output): System.Exception")]
    public void Other_output_is_not_a_diagnostic(string line) => Assert.Null(CanonicalLine.TryParse(line));

    [Fact]
    public void A_dll_runs_with_the_host_and_arguments_with_spaces_are_quoted()
    {
        var host = Path.Combine(_dir, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        File.WriteAllText(host, "");

        var dll = CliCommand.For("/p/tools/pipelinegate.dll", hostFromEnvironment: null, pathVariable: "/nowhere" + Path.PathSeparator + _dir);
        var exe = CliCommand.For("/p/pipelinegate", hostFromEnvironment: host, pathVariable: null);

        Assert.Equal(host, dll.FileName);
        Assert.Equal("/p/tools/pipelinegate.dll check --config \"/my models/pipelinegate.yml\" --profile \"a\\\"b\"", dll.Arguments("check", "--config", "/my models/pipelinegate.yml", "--profile", "a\"b"));
        Assert.Equal("/p/pipelinegate", exe.FileName);
        Assert.Equal("inputs \"\"", exe.Arguments("inputs", ""));
    }

    [Fact]
    public void The_fingerprint_follows_content_and_settings_not_listing_order()
    {
        var a = Path.Combine(_dir, "a.onnx");
        var b = Path.Combine(_dir, "b.yml");
        File.WriteAllText(a, "model");
        File.WriteAllText(b, "config");
        var settings = new Dictionary<string, string> { ["profile"] = "" };

        var first = InputFingerprint.Compute([a, b], settings, b);
        Assert.Equal(first, InputFingerprint.Compute([b, a], settings, b));
        Assert.NotEqual(first, InputFingerprint.Compute([a, b], new Dictionary<string, string> { ["profile"] = "pr" }, b));

        File.WriteAllText(a, "model2");
        Assert.NotEqual(first, InputFingerprint.Compute([a, b], settings, b));
    }

    private List<GateMessage> Read(string json)
    {
        var path = Path.Combine(_dir, "results.json");
        File.WriteAllText(path, json, new UTF8Encoding(false));
        return GateResults.Read(path);
    }
}
