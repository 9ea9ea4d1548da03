using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Environment;
using PipelineGate.Measure.Size;
using PipelineGate.Publish;
using PipelineGate.Publish.GitHub;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>A small gate result and a GitHub Actions environment pointing at a <see cref="FakeGitHub"/>.</summary>
internal static class PublishFixture
{
    public const string Workspace = "/home/runner/work/app/app";

    public static GateResult Result(int failed = 1, int warned = 0, int passed = 2)
    {
        CheckResult Check(int i, CheckOutcome outcome) => new()
        {
            Id = $"digits/original/—/file-size/absolute/{i}", Model = "digits", Variant = "original", Target = "—", Metric = "file-size",
            Kind = BudgetKind.Absolute, BudgetText = "≤ 20 KB", Unit = "bytes", Actual = 27_861, Reference = 20_000, Deterministic = true, Outcome = outcome,
            Code = outcome switch { CheckOutcome.Fail => PgCode.SizeOverBudget, CheckOutcome.Warn => PgCode.LatencyOverBudget, _ => null },
            Message = outcome == CheckOutcome.Pass ? "file-size is within budget." : $"file-size is 27,861 B, over the 20 KB budget (check {i}).",
            File = Workspace + "/models/pipelinegate.yml", Line = 10 + i, Column = 7,
        };

        return new GateResult
        {
            ToolVersion = "0.1.0",
            ConfigPath = Workspace + "/models/pipelinegate.yml",
            Profile = "pr",
            StartedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
            DurationSeconds = 7.9,
            Runner = new RunnerFingerprint
            {
                CpuModel = "AMD EPYC 9R45", LogicalCores = 2, IsaFlags = ["avx2"], Os = "Linux", Architecture = "x64", OnnxRuntimeVersion = "1.30.0",
                Provider = "CPU", ProviderOptions = new Dictionary<string, string>(), IntraOpThreads = 1, InterOpThreads = 1, GraphOptimization = "All",
            },
            Baseline = new BaselineInfo("ref", "origin/main", "3f2a1c0e9b7d4a6f8c1e2d3b4a5f6e7d8c9b0a1f"),
            Models =
            [
                new ModelResult("digits", Workspace + "/models/digits.onnx",
                [
                    new VariantResult
                    {
                        Name = "original", Recipe = [], Path = Workspace + "/models/digits.onnx", Targets = [],
                        Size = new SizeReport
                        {
                            FileBytes = 27_861, ExternalDataBytes = 0, CompressedBytes = 25_497, ParameterCount = 6_570, NonzeroParameterCount = 6_570,
                            BytesByType = new Dictionary<string, long> { ["float32"] = 26_280 }, Macs = 6_464, MacsComplete = true,
                        },
                    },
                ]),
            ],
            Checks =
            [
                .. Enumerable.Range(0, failed).Select(i => Check(i, CheckOutcome.Fail)),
                .. Enumerable.Range(failed, warned).Select(i => Check(i, CheckOutcome.Warn)),
                .. Enumerable.Range(failed + warned, passed).Select(i => Check(i, CheckOutcome.Pass)),
            ],
            Notices = [],
        };
    }

    public static Dictionary<string, string> Environment(FakeGitHub server, string token = FakeGitHub.WriteToken, string? eventPath = null, string? summaryPath = null) => new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_REPOSITORY"] = FakeGitHub.Owner + "/" + FakeGitHub.Repo,
        ["GITHUB_API_URL"] = server.ApiUrl.ToString().TrimEnd('/'),
        ["GITHUB_TOKEN"] = token,
        ["GITHUB_EVENT_NAME"] = "pull_request",
        ["GITHUB_REF"] = "refs/pull/42/merge",
        ["GITHUB_SHA"] = "9c0ffee000000000000000000000000000000000",
        ["GITHUB_WORKSPACE"] = Workspace,
        ["GITHUB_EVENT_PATH"] = eventPath ?? "",
        ["GITHUB_STEP_SUMMARY"] = summaryPath ?? "",
    };

    /// <summary>Retries without waiting; the delays asked for are recorded instead.</summary>
    public static RetryOptions Retry(List<TimeSpan> slept) => new()
    {
        Sleep = (d, _) =>
        {
            lock (slept)
            {
                slept.Add(d);
            }

            return Task.CompletedTask;
        },
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public static PublishRequest Request(GateResult result, CommentMode comment = CommentMode.OnFailure) => new()
    {
        Result = result,
        Key = GateKey.For(result.ConfigPath, result.Profile, Workspace),
        Comment = comment,
        RepositoryRoot = Workspace,
        Report = new Report.ReportOptions { ReproduceCommand = "pipelinegate check --config models/pipelinegate.yml --profile pr", ArtifactName = "pipelinegate-report" },
    };
}
