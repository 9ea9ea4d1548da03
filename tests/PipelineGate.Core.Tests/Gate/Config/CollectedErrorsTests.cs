using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>One run reports every mistake, in file order, each at its own position.</summary>
public sealed class CollectedErrorsTests : IDisposable
{
    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reports_every_error_in_file_order()
    {
        const string yaml = """
            version: 1
            measure:
              duraton: 10s
              confidence: 2
            models:
              - path: missing.onnx
                targets: [cpu, gpu]
                variants:
                  - name: original
                    steps: [ { quantize: } ]
                budgets:
                  - { metric: latency.p90, max: 12 MB }
                  - { metric: latency.p90, max: 12 ms, target: cuda }
                  - { metric: accuracy, min: 95% }
                  - { metric: file-size, variant: int8, max: 1 MB }
              - path: ${MISSING}/m.onnx
            profiles:
              pr:
                budgets: [ { metric: latency.p90, max-regression: 10%, model: n } ]
            """;
        var errors = _dir.Errors(yaml);
        Assert.Equal(
            [
                (PgCode.ConfigUnknownKey, 3, 3),
                (PgCode.ConfigInvalidValue, 4, 15),
                (PgCode.ModelNotFound, 6, 11),
                (PgCode.ConfigInvalidValue, 7, 20),
                (PgCode.ConfigInvalidValue, 9, 15),
                (PgCode.ConfigInvalidUnit, 12, 37),
                (PgCode.ConfigUnknownTarget, 13, 52),
                (PgCode.ConfigMissingKey, 14, 19),
                (PgCode.ConfigInvalidValue, 15, 39),
                (PgCode.ConfigUndefinedVariable, 16, 11),
                (PgCode.ConfigInvalidValue, 19, 67),
            ],
            errors.Select(d => (d.Code, d.Line ?? 0, d.Column ?? 0)));
        Assert.Contains("Did you mean 'duration'?", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'cpu'?", errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_message_lists_every_diagnostic_as_msbuild_parses_them()
    {
        var e = Assert.Throws<ConfigException>(() => _dir.Load("version: 3\nmodels:\n  - path: nope.onnx\n"));
        Assert.Equal(2, e.Diagnostics.Count);
        var lines = e.Message.Split(Environment.NewLine);
        Assert.StartsWith($"{_dir.ConfigPath}(1,10): error PG1004: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{_dir.ConfigPath}(3,11): error PG2001: ", lines[1], StringComparison.Ordinal);
        Assert.Equal(PgCode.ConfigInvalidValue, e.Code);
    }

    [Fact]
    public void A_misspelt_required_key_is_reported_once()
    {
        var d = Assert.Single(_dir.Errors("version: 1\nmodels:\n  - pth: m.onnx\n"));
        Assert.Equal((PgCode.ConfigUnknownKey, 3, 5), (d.Code, d.Line, d.Column));
        Assert.Contains("Did you mean 'path'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_everywhere_suggest_the_key_valid_at_that_place()
    {
        const string yaml = """
            verison: 1
            models:
              - path: m.onnx
                nmae: x
                data: { path: eval, label: y }
                targets: [ { name: cpu, thread: 2 } ]
                variants: [ { name: v, step: [ { quantize: { mode: dynamic, perchannel: true } } ] } ]
                budgets: [ { metric: latency.p90, max: 1 ms, sevrity: warning } ]
            profiles:
              pr: { ratchet-result: x.json }
            """;
        var errors = _dir.Errors(yaml).Where(d => d.Code == PgCode.ConfigUnknownKey).Select(d => d.Message).ToArray();
        Assert.Equal(
            [
                "Unknown key 'verison' in the config. Did you mean 'version'?",
                "Unknown key 'nmae' in a model. Did you mean 'name'?",
                "Unknown key 'label' in 'data'. Did you mean 'labels'?",
                "Unknown key 'thread' in a target. Did you mean 'threads'?",
                "Unknown key 'step' in a variant. Did you mean 'steps'?",
                "Unknown key 'sevrity' in a budget. Did you mean 'severity'?",
                "Unknown key 'ratchet-result' in profile 'pr'. Did you mean 'ratchet-results'?",
            ],
            errors);
    }
}
