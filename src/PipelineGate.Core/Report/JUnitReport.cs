using System.Text;
using System.Xml;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// JUnit XML for CI test tabs (GitHub, Azure DevOps, GitLab, Jenkins): one testsuite per model
/// variant, one testcase per check. Failures carry the PG code and the budget; warnings pass and put
/// their message in system-out, since JUnit has no warning outcome and a warning must not fail a tab.
/// </summary>
public static class JUnitReport
{
    public static string Render(GateResult r, ReportOptions o)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(o);
        var ctx = new ReportContext(r, o);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
        };
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("testsuites");
            w.WriteAttributeString("name", "PipelineGate");
            var errors = r.Notices.Where(static n => n.Severity == Diagnostics.DiagnosticSeverity.Error).ToArray();
            Counts(w, r.Checks, errors.Length);
            w.WriteAttributeString("time", ReportFormat.Number(r.DurationSeconds, "0.###"));
            w.WriteAttributeString("timestamp", ReportFormat.Timestamp(r.StartedAt));
            var id = 0;
            foreach (var (suite, checks) in Suites(r))
            {
                JUnitSuite.Write(w, ctx, suite, checks, id++);
            }

            if (errors.Length > 0)
            {
                Errors(w, errors, id);
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static void Counts(XmlWriter w, IReadOnlyCollection<CheckResult> checks, int errors = 0)
    {
        var s = GateSummary.Of(checks);
        w.WriteAttributeString("tests", ReportFormat.Integer(s.Total + errors));
        w.WriteAttributeString("failures", ReportFormat.Integer(s.Failed));
        w.WriteAttributeString("errors", ReportFormat.Integer(errors));
        w.WriteAttributeString("skipped", ReportFormat.Integer(s.Skipped));
    }

    /// <summary>Models that could not be measured (a crashed or hung measurement): one erroring testcase each.</summary>
    private static void Errors(XmlWriter w, IReadOnlyList<Diagnostics.Diagnostic> errors, int id)
    {
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", "PipelineGate.errors");
        w.WriteAttributeString("id", ReportFormat.Integer(id));
        Counts(w, [], errors.Count);
        foreach (var e in errors)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("classname", "PipelineGate.errors");
            w.WriteAttributeString("name", e.CodeText + (e.File is { } f ? " " + f : ""));
            w.WriteStartElement("error");
            w.WriteAttributeString("type", e.CodeText);
            w.WriteAttributeString("message", e.Message);
            w.WriteString(e.ToString());
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>Suites in results order; checks naming a variant the results do not list still get a suite of their own.</summary>
    private static List<(string Name, List<CheckResult> Checks)> Suites(GateResult r)
    {
        var suites = new List<(string Name, List<CheckResult> Checks)>();
        var byName = new Dictionary<string, List<CheckResult>>(StringComparer.Ordinal);
        List<CheckResult> Suite(string name)
        {
            if (!byName.TryGetValue(name, out var list))
            {
                list = [];
                byName.Add(name, list);
                suites.Add((name, list));
            }

            return list;
        }

        foreach (var m in r.Models)
        {
            foreach (var v in m.Variants)
            {
                Suite(ClassName(m.Name, v.Name));
            }
        }

        foreach (var c in r.Checks)
        {
            Suite(ClassName(c.Model, c.Variant)).Add(c);
        }

        return suites;
    }

    internal static string ClassName(string model, string variant) => model + "." + variant;
}
