using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Onnx.Proto;
using PipelineGate.Publish;
using PipelineGate.Report;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using PipelineGate.Tests.Gate.Runner;
using Xunit;

namespace PipelineGate.Tests.Gate.Signature;

/// <summary>
/// The signature gate through the real gate (real ONNX Runtime, real files): a model whose inputs or outputs
/// change against a stored or git baseline fails with the exact diff, unless acknowledged.
/// </summary>
public sealed class SignatureGateTests : IDisposable
{
    private readonly SampleWorkspace _w = new();

    public void Dispose() => _w.Dispose();

    private string ModelPath => Path.Combine(_w.Root, "model.onnx");

    private string StoredPath => Path.Combine(_w.Root, "release-results.json");

    /// <summary>y = Identity(x) with x and y of the given type and dims; <paramref name="producer"/> changes the bytes only.</summary>
    private void WriteModel(TensorElementType type, string[] dims, string producer = "exporter-a", string input = "x")
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(TinyModels.Value(input, type, dims));
        graph.Output.Add(TinyModels.Value("y", type, dims));
        graph.Node.Add(TinyModels.Node("Identity", [input], ["y"]));
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(ModelPath, model.ToByteArray());
    }

    private void WriteConfig(string extra = "")
    {
        File.WriteAllText(_w.ConfigPath, "version: 1\n" + SampleWorkspace.FastMeasure + "\nmodels:\n  - path: model.onnx\n    name: m\n"
            + "    budgets:\n      - { metric: file-size, max: 1 MB }\n" + extra);
    }

    private void StoreBaseline()
    {
        var first = _w.Run();
        File.WriteAllText(StoredPath, ResultsFile.Serialize(first));
    }

    private static readonly string[] Before = ["N", "3", "48", "W"];

    [Fact]
    public void A_changed_input_fails_with_the_exact_diff_in_console_markdown_and_junit()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        StoreBaseline();
        var oldHash = ResultsFile.Read(StoredPath).Models[0].Signature!.Hash;
        WriteModel(TensorElementType.Float16, ["N", "3", "32", "W"]);

        var r = _w.Run(baselineResults: StoredPath);

        var fail = r.Checks.Single(static c => c.Metric == "signature" && c.Id.EndsWith("input:x", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Fail, fail.Outcome);
        Assert.Equal(PgCode.SignatureElementTypeChanged, fail.Code);
        const string diff = "input 'x': float32 [N,3,48,W] → float16 [N,3,32,W]";
        Assert.Contains(diff, fail.Message, StringComparison.Ordinal);
        Assert.Contains($"from: {oldHash}", fail.Message, StringComparison.Ordinal);
        Assert.Equal(_w.ConfigPath, fail.File);
        Assert.Equal(4, fail.Line);
        var output = r.Checks.Single(static c => c.Metric == "signature" && c.Id.EndsWith("output:y", StringComparison.Ordinal));
        Assert.Contains("output 'y': float32 [N,3,48,W] → float16 [N,3,32,W]", output.Message, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Fail, r.Summary.Outcome);

        var options = new ReportOptions();
        var console = ConsoleReport.Render(r, options);
        Assert.True(console.Contains(diff, StringComparison.Ordinal), console);
        Assert.Contains(MarkdownText.Escape(diff), MarkdownReport.Render(r, options), StringComparison.Ordinal); // brackets escaped: \[N,3,48,W\]
        var junit = JUnitReport.Render(r, options);
        Assert.Contains("PG4502", junit, StringComparison.Ordinal);
        Assert.Contains(diff.Replace("'", "&apos;", StringComparison.Ordinal), junit.Replace("'", "&apos;", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_renamed_input_against_the_base_branch_fails_with_the_rename()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        _w.CommitAll();
        _w.Git("checkout", "-q", "-b", "feature");
        WriteModel(TensorElementType.Float, Before, input: "pixels");
        _w.Git("commit", "-q", "-am", "rename the input");

        var r = _w.Run(baselineRef: "main");

        var fail = Assert.Single(r.Checks, static c => c.Metric == "signature");
        Assert.Equal(PgCode.SignatureRenamed, fail.Code);
        Assert.Contains("input 'x' → 'pixels': float32 [N,3,48,W]", fail.Message, StringComparison.Ordinal);
        Assert.Contains("the baseline main", fail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_acknowledged_change_passes_with_a_notice_naming_the_reason()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        StoreBaseline();
        var oldHash = ResultsFile.Read(StoredPath).Models[0].Signature!.Hash;
        WriteModel(TensorElementType.Float, ["N", "3", "32", "W"]);
        WriteConfig($"    accept-signature-change: {{ reason: \"32 px input for app v3\", from: {oldHash} }}\n");

        var r = _w.Run(baselineResults: StoredPath);

        Assert.DoesNotContain(r.Checks, static c => c.Metric == "signature");
        Assert.Equal(CheckOutcome.Pass, r.Summary.Outcome);
        var notice = Assert.Single(r.Notices, static n => n.Code == PgCode.SignatureChangeAccepted);
        Assert.Contains("32 px input for app v3", notice.Message, StringComparison.Ordinal);
        Assert.Contains("input 'x': float32 [N,3,48,W] → float32 [N,3,32,W]", notice.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Info, notice.Severity);
    }

    [Fact]
    public void An_acknowledgement_naming_another_old_signature_does_not_apply()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        StoreBaseline();
        WriteModel(TensorElementType.Float, ["N", "3", "32", "W"]);
        WriteConfig("    accept-signature-change: { reason: \"stale\", from: 000000000000 }\n");

        var r = _w.Run(baselineResults: StoredPath);

        Assert.Equal(PgCode.SignatureDimensionChanged, r.Checks.Single(static c => c.Metric == "signature" && c.Id.EndsWith("input:x", StringComparison.Ordinal)).Code);
        Assert.Contains(r.Notices, static n => n.Code == PgCode.SignatureAcceptanceMismatch && n.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void An_acknowledgement_the_baseline_has_caught_up_with_says_it_can_be_removed()
    {
        WriteModel(TensorElementType.Float, ["N", "3", "32", "W"]);
        WriteConfig();
        StoreBaseline(); // the baseline already has the new signature
        WriteConfig("    accept-signature-change: { reason: \"32 px input\", from: 0123456789ab }\n");

        var r = _w.Run(baselineResults: StoredPath);

        Assert.DoesNotContain(r.Checks, static c => c.Metric == "signature");
        var notice = Assert.Single(r.Notices, static n => n.Code == PgCode.SignatureAcceptanceObsolete);
        Assert.Contains("can be removed", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reexport_with_an_identical_signature_is_silent()
    {
        WriteModel(TensorElementType.Float, Before, producer: "exporter-a");
        WriteConfig();
        _w.CommitAll();
        _w.Git("checkout", "-q", "-b", "feature");
        WriteModel(TensorElementType.Float, Before, producer: "exporter-b 2.0");
        _w.Git("commit", "-q", "-am", "re-export");
        Assert.NotEqual("", _w.Git("diff", "--stat", "HEAD~1"));

        var r = _w.Run(baselineRef: "main");

        Assert.DoesNotContain(r.Checks, static c => c.Metric == "signature");
        Assert.DoesNotContain(r.Notices, static n => (int)n.Code is >= 4500 and < 4600);
        Assert.Equal(CheckOutcome.Pass, r.Summary.Outcome);
    }

    [Fact]
    public void An_old_results_file_without_signatures_is_still_read_and_says_signatures_are_not_compared()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        StoreBaseline();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StoredPath))!;
        json["models"]![0]!.AsObject().Remove("signature");
        File.WriteAllText(StoredPath, json.ToJsonString());
        WriteModel(TensorElementType.Float16, Before);

        var r = _w.Run(baselineResults: StoredPath);

        Assert.DoesNotContain(r.Checks, static c => c.Metric == "signature");
        Assert.Contains(r.Notices, static n => n.Code == PgCode.SignatureBaselineMissing);
        Assert.Null(ResultsFile.Parse(json.ToJsonString(), StoredPath).Models[0].Signature);
    }

    [Fact]
    public void The_signature_is_stored_in_results_json_and_read_back()
    {
        WriteModel(TensorElementType.Float, Before);
        WriteConfig();
        var r = _w.Run();

        var back = ResultsFile.Parse(ResultsFile.Serialize(r), "results.json").Models[0].Signature!;
        Assert.Equal("input x: float32 [N,3,48,W]\noutput y: float32 [N,3,48,W]", back.Text);
        Assert.Equal(r.Models[0].Signature!.Hash, back.Hash);
        Assert.Contains("\"hash\": \"" + back.Hash + "\"", ResultsFile.Serialize(r), StringComparison.Ordinal);
    }
}

public sealed class SignatureAcceptanceConfigTests : IDisposable
{
    private readonly PipelineGate.Tests.Gate.Config.ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Header = "version: 1\nmodels:\n  - path: m.onnx\n";

    [Fact]
    public void The_acknowledgement_is_read_with_its_reason_hash_and_line()
    {
        _dir.Touch("m.onnx");
        var model = Assert.Single(_dir.Load(Header + "    accept-signature-change: { reason: \"v3 input\", from: 3f2a9c01b7de }\n").Models);
        Assert.Equal(("v3 input", "3f2a9c01b7de", 4), (model.AcceptSignatureChange!.Reason, model.AcceptSignatureChange.From, model.AcceptSignatureChange.Location.Line));
    }

    [Theory]
    [InlineData("{ reason: \"x\", from: 3F2A }", PgCode.ConfigInvalidValue)]
    [InlineData("{ from: 3f2a9c01b7de }", PgCode.ConfigMissingKey)]
    [InlineData("{ reason: \"x\", from: 3f2a9c01b7de, until: 2027 }", PgCode.ConfigUnknownKey)]
    public void A_malformed_acknowledgement_is_a_config_error_at_its_line(string entry, PgCode code)
    {
        _dir.Touch("m.onnx");
        var e = Assert.Throws<ConfigException>(() => _dir.Load(Header + "    accept-signature-change: " + entry + "\n"));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((code, 4), (d.Code, d.Line));
    }
}
