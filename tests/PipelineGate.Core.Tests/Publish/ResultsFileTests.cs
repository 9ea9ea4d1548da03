using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Report;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish;

public sealed class ResultsFileTests
{
    [Fact]
    public void Round_trips_a_full_result_so_publish_renders_what_check_rendered()
    {
        var json = ResultsFile.Serialize(GateResultFixture.Result);

        var back = ResultsFile.Parse(json, "results.json");

        Assert.Equal(json, ResultsFile.Serialize(back));
        Assert.Equal(MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options), MarkdownReport.Render(back, GateResultFixture.Options));
        Assert.Equal(PgCode.LatencyRegression, back.Checks.First(static c => c.Outcome == CheckOutcome.Fail).Code);
    }

    [Fact]
    public void Refuses_another_schema_with_its_code()
    {
        var json = ResultsFile.Serialize(GateResultFixture.Result).Replace(GateResult.SchemaId, "pipelinegate/results/v2", StringComparison.Ordinal);

        var ex = Assert.Throws<PipelineGateException>(() => ResultsFile.Parse(json, "old.json"));

        Assert.Equal(PgCode.ResultsSchemaMismatch, ex.Code);
        Assert.Contains("'pipelinegate/results/v2'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"schema\":\"pipelinegate/results/v1\",\"models\":5}")]
    public void Refuses_what_is_not_a_result(string json)
    {
        Assert.Equal(PgCode.ResultsFileInvalid, Assert.Throws<PipelineGateException>(() => ResultsFile.Parse(json, "x.json")).Code);
    }

    [Fact]
    public void A_missing_file_is_coded()
    {
        Assert.Equal(PgCode.ResultsFileInvalid, Assert.Throws<PipelineGateException>(() => ResultsFile.Read("/nonexistent/results.json")).Code);
    }
}
