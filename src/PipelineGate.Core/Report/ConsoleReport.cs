using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PipelineGate.Report;

/// <summary>
/// The report for a terminal or a CI log, in the Markdown comment's order: verdict, failures and
/// warnings first with their messages, a few key passes, the variants, notices and provenance. Red,
/// yellow and green mark fail, warn and pass; the symbols carry the same meaning without colour.
/// </summary>
public static class ConsoleReport
{
    /// <summary>The report as a renderable, for the CLI to write to its <see cref="IAnsiConsole"/>.</summary>
    public static IRenderable Build(GateResult r, ReportOptions o)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(o);
        var ctx = new ReportContext(r, o);
        var parts = new List<IRenderable>
        {
            new Markup($"[bold {Colour(ctx.Summary.Outcome)}]{Markup.Escape($"{ReportText.Icon(ctx.Summary.Outcome)} PipelineGate: {ReportText.Counts(ctx.Summary)}")}[/]"
                + (r.Models.Count > 0 ? " — " + Markup.Escape(string.Join(", ", r.Models.Select(static m => m.Path))) : string.Empty)),
        };

        if (ctx.Headline.Count > 0)
        {
            parts.Add(ConsoleTables.Checks(ctx, ctx.Headline));
        }

        var passedElsewhere = ctx.Summary.Passed - ctx.Headline.Count(static c => c.Outcome == CheckOutcome.Pass);
        var more = new List<string>();
        if (ctx.HiddenProblems > 0)
        {
            more.Add(ReportText.Plural(ctx.HiddenProblems, "more failure or warning", "more failures and warnings"));
        }

        if (passedElsewhere > 0)
        {
            more.Add(ReportText.Plural(passedElsewhere, "more pass", "more passes"));
        }

        if (more.Count > 0)
        {
            parts.Add(new Markup($"[grey]{Markup.Escape(string.Join(" and ", more))} in the full report.[/]"));
        }

        foreach (var c in ctx.Headline.Where(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn))
        {
            var row = CheckRow.Of(c, ctx);
            var text = $"{row.Symbol} {row.CodeText ?? string.Empty} {c.Message}".Replace("  ", " ", StringComparison.Ordinal);
            parts.Add(new Markup($"[{Colour(c.Outcome)}]{Markup.Escape(text)}[/]"));
        }

        parts.AddRange(r.Models.Select(ConsoleTables.Variants));
        foreach (var n in r.Notices)
        {
            var (symbol, colour) = n.Severity switch
            {
                DiagnosticSeverity.Error => ("❌", "red"),
                DiagnosticSeverity.Warning => ("⚠️", "yellow"),
                _ => ("ℹ", "blue"),
            };
            parts.Add(new Markup($"[{colour}]{Markup.Escape($"{symbol} {n.CodeText} {n.Message}{(n.Hint is { Length: > 0 } h ? " " + h : string.Empty)}")}[/]"));
        }

        parts.Add(new Markup($"[grey]{Markup.Escape(ReportText.Runner(r))}\n{Markup.Escape(ReportText.Sentence(ReportText.Baseline(ctx)))}\n{Markup.Escape(ReportText.Rule(ctx))}\n{Markup.Escape(ReportText.Run(r))}[/]"));
        if (o.ReproduceCommand is { Length: > 0 } command)
        {
            parts.Add(new Markup("[grey]Reproduce:[/] " + Markup.Escape(command)));
        }

        return new Rows(parts);
    }

    /// <summary>The report as plain text (no ANSI codes) at a fixed width, for logs and files.</summary>
    public static string Render(GateResult r, ReportOptions o, int width = 140)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        console.Write(Build(r, o));
        return writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    internal static string Colour(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => "red",
        CheckOutcome.Warn => "yellow",
        CheckOutcome.Pass => "green",
        _ => "grey",
    };
}
