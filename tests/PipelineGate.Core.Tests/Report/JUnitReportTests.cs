using System.Xml.Linq;
using PipelineGate.Gate.Results;
using PipelineGate.Report;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class JUnitReportTests
{
    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void Matches_the_golden_file_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        Golden.Match("report.junit.xml", JUnitReport.Render(GateResultFixture.Result, GateResultFixture.Options));
    }

    [Fact]
    public void Parses_and_counts_match_the_results()
    {
        var r = GateResultFixture.Result;
        var doc = XDocument.Parse(JUnitReport.Render(r, GateResultFixture.Options));
        var root = doc.Root!;
        var suites = root.Elements("testsuite").ToList();
        var cases = suites.SelectMany(static s => s.Elements("testcase")).ToList();

        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(["classifier.original", "classifier.int8"], suites.Select(static s => (string)s.Attribute("name")!));
        Assert.Equal(r.Checks.Count, (int)root.Attribute("tests")!);
        Assert.Equal(1, (int)root.Attribute("failures")!);
        Assert.Equal(2, (int)root.Attribute("skipped")!);
        Assert.Equal(r.Checks.Count, cases.Count);
        Assert.Equal(r.Checks.Count, suites.Sum(static s => (int)s.Attribute("tests")!));
        Assert.Equal(r.Checks.Select(static c => c.Id).Order(StringComparer.Ordinal), cases.Select(static c => (string)c.Attribute("name")!).Order(StringComparer.Ordinal));
        Assert.All(cases, static c => Assert.StartsWith("classifier.", (string)c.Attribute("classname")!, StringComparison.Ordinal));

        var failure = Assert.Single(cases.SelectMany(static c => c.Elements("failure")));
        Assert.StartsWith("PG4102: latency.p90 on cpu", (string)failure.Attribute("message")!, StringComparison.Ordinal);
        Assert.Equal("PG4102", (string)failure.Attribute("type")!);
        Assert.Contains("pipelinegate.yml(24,9): error PG4102:", failure.Value, StringComparison.Ordinal);
        Assert.Contains("re-measured", failure.Value, StringComparison.Ordinal);
        Assert.Equal("classifier.int8", (string)failure.Parent!.Attribute("classname")!);

        Assert.Equal(2, cases.Count(static c => c.Element("skipped") is not null));
        var warning = Assert.Single(cases, static c => c.Element("system-out") is not null);
        Assert.Null(warning.Element("failure"));
        Assert.Contains("warning PG4102:", warning.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_fingerprint_is_in_the_properties()
    {
        var doc = XDocument.Parse(JUnitReport.Render(GateResultFixture.Result, GateResultFixture.Options));
        var props = doc.Root!.Element("testsuite")!.Element("properties")!.Elements("property")
            .ToDictionary(static p => (string)p.Attribute("name")!, static p => (string)p.Attribute("value")!);

        Assert.Equal(GateResultFixture.Runner().Describe(), props["runner"]);
        Assert.Equal("AMD EPYC 9R45 (Zen 5)", props["runner.cpu"]);
        Assert.Equal("1.30.0", props["onnxruntime.version"]);
        Assert.Equal("avx2,avx512f,avx512_vnni", props["runner.isa"]);
        Assert.Equal("main @ 3f2a1c0", props["baseline"]);
    }

    [Fact]
    public void Hostile_text_is_escaped_and_control_characters_replaced()
    {
        var r = GateResultFixture.Result;
        const string nasty = "a<b & \"c\" 'd' ]]> \u0001 \uD800 🙂";
        var failing = r.Checks.First(static c => c.Outcome == CheckOutcome.Fail) with { Id = "id " + nasty, Message = nasty };
        var result = r with { Checks = [failing], Models = [r.Models[0] with { Name = nasty }] };

        var doc = XDocument.Parse(JUnitReport.Render(result, GateResultFixture.Options));

        var failure = doc.Descendants("failure").Single();
        Assert.Equal("PG4102: a<b & \"c\" 'd' ]]> \uFFFD \uFFFD 🙂", (string)failure.Attribute("message")!);
        Assert.Equal("id a<b & \"c\" 'd' ]]> \uFFFD \uFFFD 🙂", (string)doc.Descendants("testcase").Single().Attribute("name")!);
    }
}
