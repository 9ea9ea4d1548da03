using PipelineGate.Measure.Environment;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>Console rendering of <see cref="DoctorReport"/>: one table of facts, then what to install.</summary>
internal static class DoctorRenderer
{
    public static void Render(IAnsiConsole console, DoctorReport r)
    {
        console.MarkupLine($"[bold]PipelineGate {Markup.Escape(r.ToolVersion)} doctor[/]");
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        var ort = r.OnnxRuntime;
        if (ort.Error is { } error)
        {
            t.AddRow("ONNX Runtime", $"[red]{Markup.Escape(error.ToString())}[/]");
        }
        else
        {
            t.AddRow("ONNX Runtime", Markup.Escape($"{ort.Version} ({ort.Flavour?.ToUpperInvariant()} build)"));
            t.AddRow("Library", Markup.Escape(ort.LibraryPath ?? ""));
            t.AddRow("Compiled in", Markup.Escape(string.Join(", ", ort.CompiledProviders)));
        }

        t.AddRow("Providers", string.Join("\n", r.Providers.Select(static p => p.Available
            ? $"[green]✓ {Markup.Escape(p.Name)}[/] loads"
            : $"[red]✗ {Markup.Escape(p.Name)}[/] does not load: {Markup.Escape(p.Detail)}")));
        var c = r.Cpu;
        t.AddRow("CPU", Markup.Escape($"{c.Model} · {c.Architecture} · {c.LogicalCores} logical cores"));
        t.AddRow("int8 ISA", string.Join("  ", c.Int8.Select(static f => f.Present ? $"[green]✓ {Markup.Escape(f.Name)}[/]" : $"[grey]✗ {Markup.Escape(f.Name)}[/]")));
        t.AddRow("Memory", r.Memory.LimitBytes < r.Memory.TotalBytes
            ? $"{ReportFormat.BytesShort(r.Memory.TotalBytes)} ({ReportFormat.BytesShort(r.Memory.LimitBytes)} usable by this process)"
            : ReportFormat.BytesShort(r.Memory.TotalBytes));
        t.AddRow("GPU", Markup.Escape(r.Gpu.Status == GpuQueryStatus.Ok ? string.Join("\n", r.Gpu.Devices.Select(static d => $"{d.Name} · driver {d.DriverVersion} · {d.MemoryTotal}")) : r.Gpu.Detail));
        t.AddRow(".NET", Markup.Escape($"{r.DotnetRuntime} ({r.RuntimeIdentifier})"));
        t.AddRow("OS", Markup.Escape(r.Os));
        console.Write(t);

        foreach (var p in r.Providers.Where(static p => p.Install is not null))
        {
            console.MarkupLine($"[yellow]To use {Markup.Escape(p.Name)}:[/] {Markup.Escape(p.Install!)}");
        }
    }
}
