using System.Globalization;
using System.Text;

namespace PipelineGate.Init;

/// <summary>
/// Writes the commented pipelinegate.yml for the models init measured. Every number in it is today's
/// measurement on this runner with the stated margin, and every comment says where it came from.
/// </summary>
public static class InitConfigWriter
{
    public static string Write(IReadOnlyList<ModelPlan> models, InitOptions options, string runner, DateTimeOffset when)
    {
        var sb = new StringBuilder();
        var margin = Percent(options.LatencyMargin);
        sb.Append("# yaml-language-server: $schema=https://raw.githubusercontent.com/pipelinegate/pipelinegate/main/docs/schema/pipelinegate.schema.json\n")
          .Append("#\n")
          .Append("# Written by 'pipelinegate init' on ").Append(when.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" from measurements on this runner:\n")
          .Append("#   ").Append(runner).Append('\n')
          .Append("# Budgets are today's numbers plus a margin: latency p90 = the upper end of the measured p90's 95%\n")
          .Append("# interval + ").Append(margin).Append(" (a ceiling for gross slowdowns; the max-regression budget, judged A/B\n")
          .Append("# against the base branch, catches small ones); file size and parameters exactly as they are;\n")
          .Append("# accuracy = the lower end of its 95% interval − ").Append(Points(options.AccuracyMargin)).Append(". Tighten or loosen them as you\n")
          .Append("# learn the model; docs/config.md describes every key.\n")
          .Append("version: 1\n\n")
          .Append("measure:\n  duration: 5s          # timed inferences per model and variant\n  threshold: 5%         # the noise band of timings\n\n")
          .Append("models:\n");
        foreach (var m in models.Where(static m => m.Unusable is null))
        {
            Model(sb, m, options);
        }

        foreach (var m in models.Where(static m => m.Unusable is not null))
        {
            sb.Append("  # ").Append(m.RelativePath).Append(" is left out: ").Append(OneLine(m.Unusable!)).Append('\n');
        }

        sb.Append("\nprofiles:\n")
          .Append("  # Pull requests (the CI snippet runs --profile pr): a shorter run, compared A/B with the base branch.\n")
          .Append("  pr:\n    measure: { duration: 3s }\n");
        return sb.ToString();
    }

    private static void Model(StringBuilder sb, ModelPlan m, InitOptions options)
    {
        sb.Append("  - path: ").Append(m.RelativePath).Append("   # signature ").Append(m.Signature).Append(", ")
          .Append(Count(m.FileBytes)).Append(" bytes, ").Append(Count(m.Parameters)).Append(" parameters\n")
          .Append("    name: ").Append(m.Name).Append('\n');
        if (m.Data is { } d)
        {
            sb.Append("    data: { path: ").Append(d.RelativePath).Append(d.Labels is null ? "" : ", labels: " + d.Labels).Append(" }   # the folder next to the model\n");
            if (d.Labels is not null)
            {
                sb.Append("    metric: ").Append(d.Metric).Append('\n');
            }
        }
        else
        {
            sb.Append("    # data: { path: eval, labels: labels }   # no evaluation data next to the model: add it to gate accuracy\n");
        }

        if (m.PlaceholderDims.Count > 0)
        {
            sb.Append("    dims: { ").Append(string.Join(", ", m.PlaceholderDims.Select(static d => YamlKey(d) + ": 1")))
              .Append(" }   # PLACEHOLDERS: no data, so these symbolic sizes were measured at 1; set the sizes the model runs at in use, then re-run init (latency and MACs depend on them)\n");
        }

        if (m.UnnamedDims.Count > 0)
        {
            sb.Append("    # unnamed dynamic axes ").Append(string.Join(", ", m.UnnamedDims)).Append(" run at size 1 (they cannot be set by name): add evaluation data to time real inputs\n");
        }

        sb.Append("    targets: [cpu]         # add cuda or tensorrt where a GPU runner gates it too\n");
        if (m.Int8 is not null)
        {
            sb.Append("    variants:\n      - name: int8         # suggested: dynamic int8 quantization applies to this model\n")
              .Append("        steps: [ { quantize: { mode: dynamic } } ]\n");
        }
        else if (m.Int8Note is not null)
        {
            sb.Append("    # no int8 variant: ").Append(m.Int8Note).Append('\n');
        }

        sb.Append("    budgets:\n");
        Latency(sb, "original", m.Latency!, options);
        sb.Append("      - { metric: latency.p50, max-regression: 10% }                   # vs the base branch, measured A/B in one run\n")
          .Append("      - { metric: file-size, variant: original, max: ").Append(m.FileBytes.ToString(CultureInfo.InvariantCulture)).Append(" B }   # exact: today's size\n")
          .Append("      - { metric: parameters, variant: original, max: ").Append(m.Parameters.ToString(CultureInfo.InvariantCulture)).Append(" }       # exact\n");
        if (m.Data is { Accuracy: { } acc } data)
        {
            var lower = data.AccuracyLower ?? acc;
            var min = Math.Floor((lower - options.AccuracyMargin) * 1000) / 10;
            sb.Append("      - { metric: accuracy, variant: original, min: ").Append(min.ToString("0.0", CultureInfo.InvariantCulture))
              .Append("% }   # measured ").Append((acc * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append("% (95% CI from ")
              .Append((lower * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append("%) − ").Append(Points(options.AccuracyMargin)).Append('\n');
        }

        if (m.Int8 is { } i)
        {
            Latency(sb, "int8", i.Latency, options);
            sb.Append("      - { metric: file-size, variant: int8, max: ").Append(i.FileBytes.ToString(CultureInfo.InvariantCulture)).Append(" B }   # exact: the int8 build today\n");
            if (m.Data is { Labels: not null } && i.Accuracy is { } ia)
            {
                sb.Append("      - { metric: accuracy, variant: int8, max-drop: 1 pp }   # int8 measured ").Append((ia * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append("%\n");
            }
        }
    }

    private static void Latency(StringBuilder sb, string variant, LatencyPlan l, InitOptions options)
    {
        var limit = l.P90UpperMs * (1 + options.LatencyMargin);
        sb.Append("      - { metric: latency.p90, variant: ").Append(variant).Append(", max: ").Append(Time(limit)).Append(", target: cpu }   # p90 ")
          .Append(Time(l.P90Ms)).Append(", 95% CI up to ").Append(Time(l.P90UpperMs)).Append(" (").Append(l.Samples.ToString(CultureInfo.InvariantCulture))
          .Append(" runs) + ").Append(Percent(options.LatencyMargin)).Append('\n');
    }

    /// <summary>A time rounded up to three significant digits, in us below 1 ms.</summary>
    internal static string Time(double ms)
    {
        var (value, unit) = ms < 1 ? (ms * 1000, "us") : (ms, "ms");
        var digits = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Max(value, 1e-9))));
        var scale = Math.Pow(10, digits);
        var rounded = Math.Ceiling(value * scale - 1e-9) / scale;
        return rounded.ToString("0.###", CultureInfo.InvariantCulture) + " " + unit;
    }

    private static string Percent(double f) => (f * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Points(double f) => (f * 100).ToString("0.#", CultureInfo.InvariantCulture) + " pp";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    // Symbolic names such as p2o.DynamicDimension.1 or batch_size are plain YAML keys; anything else is quoted.
    private static string YamlKey(string name) =>
        name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && char.IsAsciiLetter(name[0]) ? name : "\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}
