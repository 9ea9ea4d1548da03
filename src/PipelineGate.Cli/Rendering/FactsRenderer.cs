using PipelineGate.Onnx.Facts;
using PipelineGate.Report;
using PipelineGate.Tensors;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>Console rendering of <see cref="ModelFacts"/>.</summary>
internal static class FactsRenderer
{
    public static void Render(IAnsiConsole console, ModelFacts f, IReadOnlyList<Diagnostics.Diagnostic> findings)
    {
        console.MarkupLine($"[bold]{Markup.Escape(f.Path)}[/]");
        var summary = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        summary.AddRow("File", $"{ReportFormat.BytesShort(f.FileBytes)} ({ReportFormat.Count(f.FileBytes)} B)" + (f.ExternalDataBytes > 0 ? $" + {ReportFormat.BytesShort(f.ExternalDataBytes)} external data" : ""));
        summary.AddRow("IR / opsets", Markup.Escape($"IR {f.IrVersion}; " + string.Join(", ", f.Opsets.Select(static o => $"{o.Domain} {o.Version}"))));
        summary.AddRow("Producer", Markup.Escape($"{f.ProducerName} {f.ProducerVersion}".Trim()));
        summary.AddRow("Parameters", $"{ReportFormat.Count(f.ParameterCount)} ({ReportFormat.BytesShort(f.ParameterBytes)})"
            + (f.NonzeroParameterCount is { } nz ? $", {ReportFormat.Count(nz)} nonzero" : ""));
        summary.AddRow("By type", Markup.Escape(string.Join(", ", f.ParametersByType.Select(static t => $"{t.ElementType}: {ReportFormat.Count(t.Count)} ({ReportFormat.BytesShort(t.Bytes)})"))));
        var compute = f.Compute;
        var macs = $"{ReportFormat.Si(compute.Macs)} MACs ({ReportFormat.Si(compute.Flops)} FLOPs) over {compute.NodesCounted} nodes";
        if (!compute.Complete)
        {
            macs += $"; [yellow]not counted: {compute.UncountedNodes.Count} node(s) with unknown shapes[/] ({Markup.Escape(string.Join(", ", compute.UncountedNodes.Take(5)))}{(compute.UncountedNodes.Count > 5 ? ", …" : "")})";
        }

        if (compute.AssumedSymbolicDims.Count > 0)
        {
            macs += $" (lower bound); assuming {Markup.Escape(string.Join(", ", compute.AssumedSymbolicDims))} = 1 (set sizes with --dim NAME=N)";
        }

        summary.AddRow("Compute", macs);
        summary.AddRow("Nodes", $"{f.NodeCount}: " + Markup.Escape(string.Join(", ", f.Operators.Take(12).Select(static o => $"{o.Op}×{o.Count}")) + (f.Operators.Count > 12 ? ", …" : "")));
        console.Write(summary);

        var io = new Table().Border(TableBorder.Simple).AddColumn("").AddColumn("Name").AddColumn("Type").AddColumn("Shape");
        foreach (var i in f.Inputs)
        {
            io.AddRow("input", Markup.Escape(i.Name), i.ElementType, Markup.Escape(Shapes.Text(i.Shape)));
        }

        foreach (var o in f.Outputs)
        {
            io.AddRow("output", Markup.Escape(o.Name), o.ElementType, Markup.Escape(Shapes.Text(o.Shape)));
        }

        console.Write(io);
        foreach (var d in findings)
        {
            var colour = d.Severity == Diagnostics.DiagnosticSeverity.Error ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{Markup.Escape(d.ToString())}[/]");
        }
    }
}
