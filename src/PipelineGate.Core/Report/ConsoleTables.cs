using PipelineGate.Gate.Results;
using Spectre.Console;

namespace PipelineGate.Report;

/// <summary>Spectre tables of the console report; every cell escaped, since names come from users.</summary>
internal static class ConsoleTables
{
    public static Table Checks(ReportContext ctx, IEnumerable<CheckResult> checks)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("")
            .AddColumn("Target")
            .AddColumn("Metric")
            .AddColumn(new TableColumn(Markup.Escape($"Base ({ctx.BaseLabel})")).RightAligned())
            .AddColumn(new TableColumn("This run").RightAligned())
            .AddColumn("Change")
            .AddColumn("Budget")
            .AddColumn("Code");
        foreach (var c in checks)
        {
            var row = CheckRow.Of(c, ctx);
            var colour = ConsoleReport.Colour(c.Outcome);
            var change = Markup.Escape(row.Change);
            if (c.Outcome == CheckOutcome.Fail)
            {
                change = $"[bold]{change}[/]";
            }

            if (row.ChangeDetail is { } detail)
            {
                change += $"\n[grey]{Markup.Escape(detail)}[/]";
            }

            table.AddRow(
                new Markup($"[{colour}]{Markup.Escape(row.Symbol)}[/]"),
                new Text(row.Target),
                new Text(row.Metric),
                new Text(row.Base),
                new Text(row.Actual),
                new Markup(change),
                new Text(row.Budget),
                new Markup($"[{colour}]{Markup.Escape(row.Mark)}[/]"));
        }

        return table;
    }

    public static Table Variants(ModelResult model)
    {
        var v = VariantTable.Of(model);
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape("Variants of " + model.Path));
        table.AddColumn(Markup.Escape(v.Header[0]));
        foreach (var h in v.Header.Skip(1))
        {
            table.AddColumn(new TableColumn(Markup.Escape(h)).RightAligned());
        }

        foreach (var row in v.Rows)
        {
            table.AddRow(row.Select(static cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        return table;
    }
}
