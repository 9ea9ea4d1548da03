using System.Text;
using System.Xml;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>One testsuite element: the runner as properties, then one testcase per check.</summary>
internal static class JUnitSuite
{
    public static void Write(XmlWriter w, ReportContext ctx, string name, List<CheckResult> checks, int id)
    {
        var r = ctx.Result;
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", Clean(name));
        w.WriteAttributeString("id", ReportFormat.Integer(id));
        JUnitReport.Counts(w, checks);
        w.WriteAttributeString("time", "0");
        w.WriteAttributeString("timestamp", ReportFormat.Timestamp(r.StartedAt));

        w.WriteStartElement("properties");
        foreach (var (key, value) in Properties(ctx))
        {
            w.WriteStartElement("property");
            w.WriteAttributeString("name", Clean(key));
            w.WriteAttributeString("value", Clean(value));
            w.WriteEndElement();
        }

        w.WriteEndElement();
        foreach (var c in checks)
        {
            TestCase(w, ctx, name, c);
        }

        w.WriteEndElement();
    }

    private static void TestCase(XmlWriter w, ReportContext ctx, string className, CheckResult c)
    {
        w.WriteStartElement("testcase");
        w.WriteAttributeString("name", Clean(c.Id));
        w.WriteAttributeString("classname", Clean(className));
        w.WriteAttributeString("time", "0");
        if (c.File is { Length: > 0 } file)
        {
            w.WriteAttributeString("file", Clean(file));
            if (c.Line is { } line)
            {
                w.WriteAttributeString("line", ReportFormat.Integer(line));
            }
        }

        var code = c.Code is { } pg ? Diagnostic.FormatCode(pg) : null;
        switch (c.Outcome)
        {
            case CheckOutcome.Fail:
                w.WriteStartElement("failure");
                w.WriteAttributeString("message", Clean(code is null ? c.Message : $"{code}: {c.Message}"));
                w.WriteAttributeString("type", code ?? "budget");
                w.WriteString(Clean(Details(c, ctx, code, "error")));
                w.WriteEndElement();
                break;
            case CheckOutcome.Skipped:
                w.WriteStartElement("skipped");
                w.WriteAttributeString("message", Clean(c.Message));
                w.WriteEndElement();
                break;
            case CheckOutcome.Warn:
                w.WriteElementString("system-out", Clean(Details(c, ctx, code, "warning")));
                break;
            default:
                break;
        }

        w.WriteEndElement();
    }

    /// <summary>The check in words and numbers, led by the MSBuild-style line editors and CI logs link to.</summary>
    private static string Details(CheckResult c, ReportContext ctx, string? code, string severity)
    {
        var row = CheckRow.Of(c, ctx);
        var sb = new StringBuilder();
        if (c.File is { Length: > 0 } file)
        {
            sb.Append(file);
            if (c.Line is { } line)
            {
                sb.Append('(').Append(ReportFormat.Integer(line));
                if (c.Column is { } col)
                {
                    sb.Append(',').Append(ReportFormat.Integer(col));
                }

                sb.Append(')');
            }

            sb.Append(": ");
        }

        sb.Append(severity).Append(' ').Append(code ?? "PG----").Append(": ").Append(c.Message).Append('\n');
        sb.Append("budget: ").Append(c.BudgetText).Append('\n');
        sb.Append("base: ").Append(row.Base).Append(", this run: ").Append(row.Actual).Append('\n');
        sb.Append("change: ").Append(row.Change);
        if (row.ChangeDetail is { } detail)
        {
            sb.Append(" (").Append(detail).Append(')');
        }

        if (c.Remeasured)
        {
            sb.Append("\nre-measured once before the verdict stood");
        }

        return sb.ToString();
    }

    private static IEnumerable<(string Key, string Value)> Properties(ReportContext ctx)
    {
        var r = ctx.Result;
        var f = r.Runner;
        yield return ("pipelinegate.version", r.ToolVersion);
        yield return ("pipelinegate.config", r.ConfigPath);
        if (r.Profile is { } profile)
        {
            yield return ("pipelinegate.profile", profile);
        }

        yield return ("runner", f.Describe());
        yield return ("runner.cpu", f.CpuModel);
        yield return ("runner.logical-cores", ReportFormat.Integer(f.LogicalCores));
        yield return ("runner.isa", string.Join(",", f.IsaFlags));
        yield return ("runner.os", f.Os);
        yield return ("runner.architecture", f.Architecture);
        yield return ("onnxruntime.version", f.OnnxRuntimeVersion);
        yield return ("onnxruntime.provider", f.Provider);
        foreach (var (key, value) in f.ProviderOptions.OrderBy(static kv => kv.Key, StringComparer.Ordinal))
        {
            yield return ("onnxruntime.provider-option." + key, value);
        }

        yield return ("onnxruntime.intra-op-threads", ReportFormat.Integer(f.IntraOpThreads));
        yield return ("onnxruntime.inter-op-threads", ReportFormat.Integer(f.InterOpThreads));
        yield return ("onnxruntime.graph-optimization", f.GraphOptimization);
        yield return ("baseline", ctx.BaseLabel);
        yield return ("baseline.kind", r.Baseline.Kind);
    }

    /// <summary>
    /// XML 1.0 cannot carry most control characters even escaped; a message quoting a binary tensor name
    /// must not make the whole file unreadable, so such characters become U+FFFD.
    /// </summary>
    internal static string Clean(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb?.Append(ch).Append(text[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(ch))
            {
                sb?.Append(ch);
            }
            else
            {
                (sb ??= new StringBuilder(text, 0, i, text.Length)).Append('\uFFFD');
            }
        }

        return sb?.ToString() ?? text;
    }
}
