using PipelineGate.Gate.Results;
using PipelineGate.Report;
using Spectre.Console;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class ConsoleReportTests
{
    [Fact]
    public void Renders_in_markdown_order_and_identically_in_every_culture()
    {
        string text;
        using (new CultureScope(""))
        {
            text = ConsoleReport.Render(GateResultFixture.Result, GateResultFixture.Options);
        }

        using (new CultureScope("de-DE"))
        {
            Assert.Equal(text, ConsoleReport.Render(GateResultFixture.Result, GateResultFixture.Options));
        }

        Assert.StartsWith("❌ PipelineGate: 1 budget failed, 1 warning, 8 passed, 2 skipped — models/classifier.onnx", text, StringComparison.Ordinal);
        var fail = text.IndexOf("PG4102", StringComparison.Ordinal);
        var warn = text.IndexOf("PG4102", fail + 6, StringComparison.Ordinal);
        var pass = text.IndexOf("17,203,416 B", StringComparison.Ordinal);
        Assert.True(fail > 0 && fail < warn && warn < pass, text);
        Assert.Contains("+11.0%", text, StringComparison.Ordinal);
        Assert.Contains("Variants of models/classifier.onnx", text, StringComparison.Ordinal);
        Assert.Contains("Reproduce: pipelinegate check", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void At_80_columns_every_interval_still_shows_both_ends()
    {
        // 80 columns is what a CI log gets (no terminal). Both ends of every interval must be printed in full:
        // a cut interval ("95% CI +0.1% … ") reads as unbounded on one side.
        var text = ConsoleReport.Render(GateResultFixture.Result, GateResultFixture.Options, width: 80);
        var flat = System.Text.RegularExpressions.Regex.Replace(text, @"[\s│]+", " ");

        Assert.All(text.Split('\n'), static line => Assert.True(new System.Globalization.StringInfo(line).LengthInTextElements <= 80, line));
        foreach (var c in GateResultFixture.Result.Checks.Where(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn && c.DeltaLower is not null))
        {
            var upper = ReportFormat.Signed(c.DeltaUpper!.Value * 100, "0.0") + "%";
            var lower = ReportFormat.Signed(c.DeltaLower!.Value * 100, "0.0");
            Assert.Contains(lower, flat, StringComparison.Ordinal);
            Assert.Contains(upper, flat, StringComparison.Ordinal);
        }

        Assert.Contains("Verdicts: fail when the evidence says a limit is broken", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("… )", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_a_renderable_for_the_cli()
    {
        // The CLI writes Build's renderable to a colour terminal: the same text as Render once the escapes are
        // removed, with the failed headline in red and the warning in yellow.
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 140;
        console.Write(ConsoleReport.Build(GateResultFixture.Result, GateResultFixture.Options));
        var coloured = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        var plain = System.Text.RegularExpressions.Regex.Replace(coloured, "\u001b\\[[0-9;]*m", "");

        Assert.Equal(ConsoleReport.Render(GateResultFixture.Result, GateResultFixture.Options), plain);
        Assert.Matches("\u001b\\[[0-9;]*(31|91)m❌ PipelineGate: 1 budget failed", coloured);
        Assert.Matches("\u001b\\[[0-9;]*(33|93)m[^\u001b]*PG4102", coloured);
    }
}
