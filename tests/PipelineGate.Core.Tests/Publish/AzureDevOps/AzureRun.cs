using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Publish.AzureDevOps;
using PipelineGate.Publish.GitHub;
using PipelineGate.Tests.Report;

namespace PipelineGate.Tests.Publish.AzureDevOps;

/// <summary>One publishing run against a <see cref="FakeAzureDevOps"/>: the environment a PR build has, its log and report.</summary>
internal sealed class AzureRun
{
    public Dictionary<string, string> Environment { get; } = [];

    public List<TimeSpan> Sleeps { get; } = [];

    public StringWriter Log { get; } = new();

    public static AzureRun PullRequestBuild(FakeAzureDevOps server)
    {
        var run = new AzureRun();
        run.Environment["TF_BUILD"] = "True";
        run.Environment["SYSTEM_COLLECTIONURI"] = server.CollectionUri;
        run.Environment["SYSTEM_TEAMPROJECT"] = FakeAzureDevOps.Project;
        run.Environment["BUILD_REPOSITORY_ID"] = FakeAzureDevOps.Repository;
        run.Environment["BUILD_REASON"] = "PullRequest";
        run.Environment["SYSTEM_PULLREQUEST_PULLREQUESTID"] = FakeAzureDevOps.PullRequestId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        run.Environment["SYSTEM_PULLREQUEST_ISFORK"] = "False";
        run.Environment["SYSTEM_ACCESSTOKEN"] = server.Token;
        run.Environment["BUILD_SOURCEVERSION"] = "3f2a1c0d";
        return run;
    }

    public async Task<PublishReport> PublishAsync(GateResult result, string key = "models/pipelinegate.yml#pr", CommentMode comment = CommentMode.OnFailure, string? outDir = null)
    {
        var retry = new RetryOptions
        {
            Delays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20)],
            Sleep = (d, _) =>
            {
                lock (Sleeps)
                {
                    Sleeps.Add(d);
                }

                return Task.CompletedTask;
            },
        };
        var publisher = Publishers.Create(PublishMode.Auto, CiEnvironment.From(Environment), Log, retry);
        return await publisher.PublishAsync(new PublishRequest
        {
            Result = result,
            Key = new GateKey(key),
            Comment = comment,
            Report = GateResultFixture.Options,
            OutputDirectory = outDir,
        });
    }

    public static GateResult Passing => GateResultFixture.Result with
    {
        Checks = [.. GateResultFixture.Result.Checks.Select(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn ? c with { Outcome = CheckOutcome.Pass, Code = null } : c)],
    };

    public static GateResult Failing => GateResultFixture.Result;
}
