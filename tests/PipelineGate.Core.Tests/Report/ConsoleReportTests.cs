using PipelineGate.Report;
using Spectre.Console.Rendering;
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
    public void Builds_a_renderable_for_the_cli()
    {
        Assert.IsAssignableFrom<IRenderable>(ConsoleReport.Build(GateResultFixture.Result, GateResultFixture.Options));
    }
}
