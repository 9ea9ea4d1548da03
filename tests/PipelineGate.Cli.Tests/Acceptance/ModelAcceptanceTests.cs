using System.Globalization;
using System.Text;
using Google.Protobuf;
using PipelineGate.Cli.Commands;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Validation;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Cli.Tests.Acceptance;

/// <summary>
/// Every model ONNX Runtime runs is accepted: over every model the test assets pin (the registry models
/// and the ONNX backend test models) and a topologically shuffled copy of each, a model ORT loads
/// inspects with exit 0, and the registry models also quantize (dynamic) and gate with exit 0.
/// With PIPELINEGATE_ACCEPTANCE_TABLE set to a file path, the registry test writes its markdown table
/// there (the table in docs/performance.md, issue 15, comes from it).
/// </summary>
public sealed class ModelAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    public const string TableVariable = "PIPELINEGATE_ACCEPTANCE_TABLE";

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-accept-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Backend_test_models_that_ORT_loads_inspect_with_exit_0_and_so_do_their_shuffled_copies()
    {
        var refused = new List<string>();
        var counts = new Dictionary<string, (int Models, int OrtLoads, int Shuffled, int ShuffledOrtLoads)>(StringComparer.Ordinal);
        foreach (var suite in new[] { "node", "simple", "pytorch-converted", "pytorch-operator" })
        {
            var (models, loads, shuffled, shuffledLoads) = (0, 0, 0, 0);
            foreach (var dir in OnnxTestData.Cases(suite))
            {
                var path = Path.Combine(dir, "model.onnx");
                var bytes = File.ReadAllBytes(path);
                models++;
                if (OrtLoads(bytes, path))
                {
                    loads++;
                    Expect(InspectExit(bytes, path, dir), $"{suite}/{Path.GetFileName(dir)}");
                }

                if (Shuffle(bytes, Path.GetFileName(dir).GetHashCode(StringComparison.Ordinal)) is { } copy)
                {
                    shuffled++;
                    if (OrtLoads(copy, path + " (shuffled)"))
                    {
                        shuffledLoads++;
                        Expect(InspectExit(copy, path, dir), $"{suite}/{Path.GetFileName(dir)} (shuffled)");
                    }
                }
            }

            counts[suite] = (models, loads, shuffled, shuffledLoads);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{suite}: {models} models, ORT loads {loads}; {shuffled} shuffled copies, ORT loads {shuffledLoads}"));
        }

        Assert.True(refused.Count == 0, $"{refused.Count} models ORT loads were refused by inspect:\n" + string.Join("\n", refused.Take(40)));
        Assert.True(counts["node"].OrtLoads > 800, "The backend test suite should mostly load in ORT; the asset looks wrong.");
        Assert.True(counts["node"].ShuffledOrtLoads > 100, "Shuffling should leave many multi-node models that ORT still loads.");

        void Expect(int exit, string what)
        {
            if (exit != 0)
            {
                refused.Add($"{what}: inspect exit {exit}");
            }
        }
    }

    [Fact]
    public void Registry_models_and_their_shuffled_copies_inspect_quantize_and_gate_with_exit_0()
    {
        var rows = new List<string>();
        var failures = new List<string>();
        foreach (var (name, path, dims) in new[]
        {
            ("PP-OCRv4 recognizer", RealModels.OcrRecognizer, "{ p2o.DynamicDimension.0: 1, p2o.DynamicDimension.1: 320 }"),
            ("PP-OCRv4 detector", RealModels.OcrDetector, "{ p2o.DynamicDimension.0: 1, p2o.DynamicDimension.1: 320, p2o.DynamicDimension.2: 320 }"),
            ("Silero VAD v4", RealModels.SileroVad, "{ batch: 1, sequence: 512 }"),
        })
        {
            var bytes = File.ReadAllBytes(path);
            var shuffled = Shuffle(bytes, 15) ?? throw new InvalidOperationException($"{name} has too few nodes to shuffle.");
            foreach (var (label, content) in new[] { (name, bytes), (name + ", shuffled", shuffled) })
            {
                var file = Path.Combine(_dir, Sanitize(label) + ".onnx");
                File.WriteAllBytes(file, content);
                var ortError = OrtLoadError(content, label);
                var loads = ortError is null;
                var inspect = CliProcess.Run(_dir, "inspect", file);
                var quantize = CliProcess.Run(_dir, "quantize", file, "-o", Path.ChangeExtension(file, ".int8.onnx"), "--mode", "dynamic");

                // Dynamic quantization applies to MatMul/Gemm/LSTM/Attention weights; a pure CNN gets PG2030 and is gated without the variant.
                var quantizable = !quantize.StdErr.Contains("PG2030", StringComparison.Ordinal);
                var config = Path.Combine(_dir, Sanitize(label) + ".yml");
                File.WriteAllText(config, GateConfig(Path.GetFileName(file), Sanitize(label), quantizable, dims));
                var check = CliProcess.Run(_dir, "check", "--config", config, "--out", Path.Combine(_dir, "out-" + Sanitize(label)));
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {(loads ? "yes" : "no: " + ortError!.Split('\n')[0])} | {inspect.ExitCode} | {(quantizable ? quantize.ExitCode.ToString(CultureInfo.InvariantCulture) : "n/a (PG2030: no MatMul/Gemm/LSTM weight)")} | {check.ExitCode}{(quantizable ? "" : " (no int8 variant)")} |"));
                foreach (var (verb, r) in new[] { ("inspect", inspect), ("quantize", quantize), ("check", check) })
                {
                    if (loads && r.ExitCode != 0 && !(verb == "quantize" && !quantizable))
                    {
                        failures.Add($"{label}: {verb} exit {r.ExitCode}\n{r.StdErr}\n{Tail(r.StdOut)}");
                    }
                }

                if (label.EndsWith("shuffled", StringComparison.Ordinal))
                {
                    Assert.Contains("PG2012", inspect.StdOut + inspect.StdErr, StringComparison.Ordinal);
                }
            }
        }

        var table = new StringBuilder()
            .AppendLine("| model | ORT loads | inspect | quantize --mode dynamic | check |")
            .AppendLine("|---|---|---|---|---|")
            .AppendJoin(Environment.NewLine, rows).AppendLine()
            .ToString();
        output.WriteLine(table);
        if (Environment.GetEnvironmentVariable(TableVariable) is { Length: > 0 } target)
        {
            File.WriteAllText(target, table);
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>A small gate: the model (its symbolic dims sized as in use) and its dynamic int8 variant, a size budget, a short measurement.</summary>
    private static string GateConfig(string model, string name, bool withInt8, string dims) => $"""
        version: 1
        measure: {"{"} duration: 50ms, min-samples: 5, max-samples: 50, extensions: 0 {"}"}
        models:
          - path: {model}
            name: {name}
            dims: {dims}
        {(withInt8 ? "    variants: [ { name: int8, steps: [ { quantize: { mode: dynamic } } ] } ]" : "")}
            budgets:
              - {"{"} metric: file-size, max: 100 MB {"}"}
        """;



    /// <summary>What <c>pipelinegate inspect</c> returns for these bytes, in this process (the same calls the command makes).</summary>
    private static int InspectExit(byte[] bytes, string path, string baseDirectory) => CommandGuard.Run(() =>
    {
        var file = ModelFile.Load(bytes, path, baseDirectory);
        var findings = ModelValidator.Validate(file);
        _ = ModelInspector.Inspect(file);
        return InspectCommand.ExitCode(findings);
    });

    private static bool OrtLoads(byte[] bytes, string name) => OrtLoadError(bytes, name) is null;

    private static string? OrtLoadError(byte[] bytes, string name)
    {
        try
        {
            using var session = InferenceSession.Create(bytes, name);
            return null;
        }
        catch (Diagnostics.PipelineGateException ex)
        {
            return ex.Diagnostic.Message;
        }
    }

    /// <summary>The model with the node list of every graph randomly permuted (null when no graph has two nodes to swap).</summary>
    internal static byte[]? Shuffle(byte[] bytes, int seed)
    {
        var model = ModelProto.Parser.ParseFrom(CodedInputStream.CreateWithLimits(new MemoryStream(bytes), int.MaxValue, 1000));
        var rng = new Random(seed);
        var changed = false;
        foreach (var g in ModelWalker.Graphs(model).ToArray())
        {
            if (g.Node.Count < 2)
            {
                continue;
            }

            var nodes = g.Node.ToArray();
            do
            {
                rng.Shuffle(nodes);
            }
            while (nodes.Select((n, i) => ReferenceEquals(n, g.Node[i])).All(static same => same));

            g.Node.Clear();
            g.Node.Add(nodes);
            changed = true;
        }

        return changed ? model.ToByteArray() : null;
    }

    private static string Sanitize(string label) => new(label.Select(static c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    private static string Tail(string text) => text.Length <= 2000 ? text : text[^2000..];
}
