using System.Security.Cryptography;
using PipelineGate.Measure.Size;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Report;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// prune and factorize through the real CLI on real models (the pinned PP-OCR text-direction classifier and the
/// digits sample): exit codes, a written model that ONNX Runtime runs, the printed before/after figures equal to
/// what the size meter measures on the files, the input byte for byte as it was, coded usage errors that write
/// nothing, and the accuracy-aware search with --data --max-drop.
/// </summary>
public sealed class PruneAndFactorizeTests : IDisposable
{
    private static readonly Dictionary<string, long> ClassifierDims = new(StringComparer.Ordinal)
    {
        ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 48, ["p2o.DynamicDimension.2"] = 192,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-prune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("magnitude", "--sparsity", "0.5")]
    [InlineData("nm", "--pattern", "2:4")]
    [InlineData("channel", "--sparsity", "0.3")]
    public void Prune_writes_a_model_ort_runs_prints_the_measured_figures_and_leaves_the_input_alone(string method, string amountOption, string amount)
    {
        var model = RealModels.OcrClassifier;
        var hash = Sha256(model);
        var output = Path.Combine(_dir, method + ".onnx");

        var r = CliProcess.Run(_dir, "prune", model, "-o", output, "--method", method, amountOption, amount,
            "--dim", "p2o.DynamicDimension.1=48", "--dim", "p2o.DynamicDimension.2=192");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Equal(hash, Sha256(model));
        var before = Measure(model);
        var after = Measure(output);
        foreach (var row in new[] { "parameters", "nonzero parameters", "file size", "gzip size", "MACs" })
        {
            Assert.Contains(row, r.StdOut, StringComparison.Ordinal);
        }

        Assert.Contains(ReportFormat.Count(before.ParameterCount), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Count(after.ParameterCount), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Count(after.NonzeroParameterCount), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Bytes(after.TotalBytes), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Bytes(after.CompressedBytes), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Count(after.Macs), r.StdOut, StringComparison.Ordinal);
        Assert.True(after.CompressedBytes < before.CompressedBytes, $"gzip {before.CompressedBytes} → {after.CompressedBytes}");
        if (method == "channel")
        {
            // Structured: the model really is smaller and cheaper.
            Assert.True(after.ParameterCount < before.ParameterCount * 0.75, $"parameters {before.ParameterCount} → {after.ParameterCount}");
            Assert.True(after.Macs < before.Macs * 0.75, $"MACs {before.Macs} → {after.Macs}");
        }
        else
        {
            // Unstructured: same shapes, zeros instead of weights, and the report says latency is unchanged.
            Assert.Equal(before.ParameterCount, after.ParameterCount);
            Assert.Equal(before.Macs, after.Macs);
            // 2:4 skips layers whose input axis is not a multiple of 4 (the depthwise convolutions): fewer zeros than magnitude 50%.
            Assert.True(after.NonzeroParameterCount < before.NonzeroParameterCount * (method == "nm" ? 0.8 : 0.6), $"nonzero {before.NonzeroParameterCount} → {after.NonzeroParameterCount}");
            Assert.Contains("Dense latency is unchanged", r.StdOut, StringComparison.Ordinal);
        }

        var scores = RunClassifier(output, SyntheticText.TextLine(48, 192, 1));
        Assert.Equal([1, 2], scores.Shape);
        Assert.All(scores.ToFloatArray(), static v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData("--energy", "0.9")]
    [InlineData("--rank", "8")]
    public void Factorize_writes_a_smaller_model_ort_runs_with_the_accuracy_rows_and_leaves_the_input_alone(string option, string value)
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var hash = Sha256(model);
        var output = Path.Combine(_dir, "lowrank.onnx");

        var r = CliProcess.Run(_dir, "factorize", model, "-o", output, option, value, "--data", CliProcess.Sample("digits", "eval"), "--labels", "labels");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Equal(hash, Sha256(model));
        var before = SizeMeter.Measure(ModelFile.Load(model), ModelInspector.Inspect(ModelFile.Load(model)));
        var after = SizeMeter.Measure(ModelFile.Load(output), ModelInspector.Inspect(ModelFile.Load(output)));
        Assert.True(after.ParameterCount < before.ParameterCount, $"parameters {before.ParameterCount} → {after.ParameterCount}");
        Assert.True(after.Macs < before.Macs, $"MACs {before.Macs} → {after.Macs}");
        Assert.Contains(ReportFormat.Count(after.ParameterCount), r.StdOut, StringComparison.Ordinal);
        Assert.Contains(ReportFormat.Count(after.Macs), r.StdOut, StringComparison.Ordinal);
        Assert.Contains("top1", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("layer(s) factorized", r.StdOut, StringComparison.Ordinal);

        using var session = InferenceSession.Create(File.ReadAllBytes(output), output);
        var pixels = NpyFile.Read(CliProcess.Sample("digits", "eval", "pixels.npy")).ToFloatArray();
        var probabilities = session.Run(new Dictionary<string, TensorData> { ["pixels"] = TensorData.Create(pixels.AsSpan(0, 64 * 4).ToArray(), 4, 64) }).Values.First();
        Assert.Equal([4, 10], probabilities.Shape);
    }

    public static TheoryData<string[], string> BadArguments => new()
    {
        { ["prune", "--method", "magnitude", "--sparsity", "1.0"], "PG2035" },
        { ["prune", "--method", "channel", "--sparsity=-0.1"], "PG2035" },
        { ["prune", "--method", "nm", "--pattern", "3:2"], "PG2037" },
        { ["factorize", "--rank", "0"], "PG2035" },
        { ["factorize", "--energy", "0.9", "--rank", "4"], "PG2039" },
        { ["prune", "--method", "channel", "--sparsity", "0.3", "--max-drop", "1pp"], "PG1021" },
        { ["factorize", "--max-drop", "1pp"], "PG1021" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Bad_arguments_are_coded_errors_with_exit_code_2_and_write_nothing(string[] args, string code)
    {
        var model = RealModels.OcrClassifier;
        var hash = Sha256(model);
        var output = Path.Combine(_dir, "bad.onnx");

        var r = CliProcess.Run(_dir, [args[0], model, "-o", output, .. args[1..]]);

        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.StdOut}{r.StdErr}");
        Assert.Contains(code, r.StdOut + r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "nothing may be written on an error");
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Equal(hash, Sha256(model));
    }

    [Fact]
    public void Channel_pruning_with_max_drop_keeps_the_measured_drop_within_budget_and_reports_the_chosen_layers()
    {
        var model = RealModels.OcrClassifier;
        var data = Path.Combine(_dir, "lines.npy");
        var lines = SyntheticText.TextLines(24, 48, 192);
        NpyFile.Write(data, lines);
        var full = Path.Combine(_dir, "full.onnx");
        var searched = Path.Combine(_dir, "searched.onnx");

        var unbudgeted = CliProcess.Run(_dir, "prune", model, "-o", full, "--method", "channel", "--sparsity", "0.3");
        var r = CliProcess.Run(_dir, "prune", model, "-o", searched, "--method", "channel", "--sparsity", "0.3", "--data", data, "--max-drop", "0.05");

        Assert.True(unbudgeted.ExitCode == 0, unbudgeted.StdOut + unbudgeted.StdErr);
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("accuracy-aware search (max-drop 0.05, 1 − top-1 agreement", r.StdOut.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("search: ", r.StdErr, StringComparison.Ordinal);

        // The budget is measured here again, independently: top-1 agreement with the original on the same lines.
        var original = Top1(RunClassifier(model, lines));
        var agreementFull = Agreement(original, Top1(RunClassifier(full, lines)));
        var agreement = Agreement(original, Top1(RunClassifier(searched, lines)));
        Assert.True(1 - agreement <= 0.05, $"searched agreement {agreement}");
        Assert.True(agreementFull < 0.95, $"without the search the 30% model agrees on {agreementFull}: the budget would not bind");

        // It prunes something, and less than every layer at 30%.
        var parameters = (Measure(model).ParameterCount, Measure(searched).ParameterCount, Measure(full).ParameterCount);
        Assert.True(parameters.Item3 < parameters.Item2 && parameters.Item2 < parameters.Item1, $"parameters original/searched/full {parameters}");
        var metadata = ModelFile.Load(searched).Model.MetadataProps.Single(static p => p.Key == "pipelinegate.search").Value;
        Assert.Contains("\"step\":\"prune\"", metadata, StringComparison.Ordinal);
        Assert.Contains("\"layers\":{", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public void Factorize_with_max_drop_on_labelled_digits_stays_within_the_accuracy_budget()
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var output = Path.Combine(_dir, "lowrank.onnx");

        var r = CliProcess.Run(_dir, "factorize", model, "-o", output, "--rank", "2", "--data", CliProcess.Sample("digits", "eval"), "--labels", "labels", "--max-drop", "1pp");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        var text = r.StdOut.ReplaceLineEndings(" ");
        Assert.Contains("accuracy-aware search (max-drop 0.01, top-1 accuracy drop", text, StringComparison.Ordinal);
        Assert.Contains("→ rank", text, StringComparison.Ordinal);
        var metadata = ModelFile.Load(output).Model.MetadataProps.Single(static p => p.Key == "pipelinegate.search").Value;
        var drop = System.Text.Json.JsonDocument.Parse(metadata).RootElement.GetProperty("drop").GetDouble();
        Assert.True(drop <= 0.01, $"drop {drop}");
        Assert.True(Measure(output).ParameterCount < Measure(model).ParameterCount);
    }

    private static SizeReport Measure(string path)
    {
        var file = ModelFile.Load(path);
        return SizeMeter.Measure(file, ModelInspector.Inspect(file, fixedDims: ClassifierDims));
    }

    private static TensorData RunClassifier(string path, TensorData lines)
    {
        using var session = InferenceSession.Create(File.ReadAllBytes(path), path);
        var count = (int)lines.Shape[0];
        var per = lines.ElementCount / count;
        var all = lines.ToFloatArray();
        var scores = new List<float>();
        for (var i = 0; i < count; i++)
        {
            var line = TensorData.Create(all.AsSpan((int)(i * per), (int)per).ToArray(), 1, 3, lines.Shape[2], lines.Shape[3]);
            scores.AddRange(session.Run(new Dictionary<string, TensorData> { ["x"] = line }).Values.First().ToFloatArray());
        }

        return TensorData.Create(scores.ToArray(), count, scores.Count / count);
    }

    private static int[] Top1(TensorData scores)
    {
        var v = scores.ToFloatArray();
        var classes = (int)scores.Shape[1];
        return [.. Enumerable.Range(0, (int)scores.Shape[0]).Select(r => Enumerable.Range(0, classes).MaxBy(c => v[(r * classes) + c]))];
    }

    private static double Agreement(int[] a, int[] b) => a.Zip(b, static (x, y) => x == y ? 1.0 : 0.0).Average();

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
