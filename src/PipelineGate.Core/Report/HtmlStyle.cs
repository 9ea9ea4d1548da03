namespace PipelineGate.Report;

/// <summary>
/// The page's only stylesheet and script, inline so that the report is one file that opens anywhere
/// (CI artifacts are downloaded and opened offline). The script only measures the charts: it writes
/// one line "id width height" per chart into #pg-layout, which a test reads with a headless browser.
/// </summary>
internal static class HtmlStyle
{
    public const string Css = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; margin: 0 auto; padding: 16px 24px 40px; max-width: 1100px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        header { border-left: 6px solid #888; padding: 8px 14px; background: #f6f8fa; }
        header.fail { border-color: #d62728; } header.warn { border-color: #e8a317; } header.pass { border-color: #2ca02c; }
        table { border-collapse: collapse; margin: 6px 0 10px; }
        th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: middle; }
        th { background: #f6f8fa; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.fail td:first-child { color: #b31d28; font-weight: 600; } tr.warn td:first-child { color: #9a6700; font-weight: 600; }
        tr.skipped { color: #6e7781; }
        .detail { color: #57606a; font-size: 12px; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        svg.pg-chart { display: block; }
        footer { margin-top: 28px; color: #57606a; font-size: 13px; }
        code { font: 12px ui-monospace, SFMono-Regular, "DejaVu Sans Mono", monospace; background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
        #pg-layout { font-size: 11px; color: #57606a; }
        """;

    public const string LayoutScript = """
        (function () {
          function measure() {
            var lines = [];
            document.querySelectorAll('svg.pg-chart').forEach(function (svg) {
              var box = svg.getBoundingClientRect();
              lines.push(svg.id + ' ' + Math.round(box.width) + ' ' + Math.round(box.height));
            });
            document.getElementById('pg-layout').textContent = lines.join('\n');
          }
          measure();
          window.addEventListener('load', measure);
        })();
        """;
}
