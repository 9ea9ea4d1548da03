using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PipelineGate.Cli.Rendering;
using PipelineGate.Diagnostics;
using PipelineGate.Measure;
using PipelineGate.Measure.Inputs;
using PipelineGate.Onnx.IO;
using PipelineGate.Report;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary><c>pipelinegate run &lt;model&gt;</c>: one inference, outputs written as .npy files.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to the .onnx file." };
        var inputs = new Option<string[]>("--input", "-i") { Description = "NAME=FILE (.npy or .pb); FILE alone when the model has one input. Repeat per input." };
        var random = new Option<bool>("--random-inputs") { Description = "Fill inputs that were not given with deterministic random data." };
        var provider = ProviderOption();
        var threads = ThreadsOption();
        var dims = DimOption();
        var outputDir = new Option<string?>("--output-dir", "-o") { Description = "Folder for <output-name>.npy files (default: <model>-outputs next to the current folder)." };
        var command = new Command("run", "Run a model once and write every output as a .npy file.") { model, inputs, random, provider, threads, dims, outputDir };
        command.SetAction(parse => CommandGuard.Run(() => Execute(
            parse.GetValue(model)!, parse.GetValue(inputs) ?? [], parse.GetValue(random), parse.GetValue(provider),
            parse.GetValue(threads), parse.GetValue(dims) ?? [], parse.GetValue(outputDir))));
        return command;
    }

    internal static Option<string> ProviderOption() => new("--provider", "-p")
    {
        Description = "Execution provider: cpu, cuda or tensorrt (trt).",
        DefaultValueFactory = _ => "cpu",
    };

    internal static Option<int> ThreadsOption() => new("--threads", "-t")
    {
        Description = "Intra-op threads (default 1: steady timings on shared runners; 0 lets ONNX Runtime choose).",
        DefaultValueFactory = _ => 1,
    };

    internal static Option<string[]> DimOption() => new("--dim") { Description = "NAME=SIZE: fix a symbolic dimension (e.g. batch=1). Unfixed symbolic dims of random inputs are 1." };

    internal static Dictionary<string, long> ParseDims(IEnumerable<string> specs)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            // SIZE up to 2^31-1 (ONNX Runtime's dimension overrides and array lengths are 32-bit there): a larger one is a
            // usage error here, not an overflow or an out-of-memory later. Random inputs have their own total bound (PG2061).
            if (eq <= 0 || !long.TryParse(spec.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0 || size > int.MaxValue)
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--dim '{spec}' is not NAME=SIZE with SIZE a whole number from 1 to {int.MaxValue}.",
                    hint: "Write e.g. --dim batch=1 --dim width=320.");
            }

            result[spec[..eq]] = size;
        }

        return result;
    }

    private static int Execute(string modelPath, string[] inputSpecs, bool random, string? providerName, int threads, string[] dimSpecs, string? outputDir)
    {
        ModelFile.Load(modelPath);
        var dims = ParseDims(dimSpecs);
        var config = SessionConfig.Default with { Provider = ProviderNames.ParseArgument(providerName), IntraOpThreads = threads, FreeDimensions = dims };
        using var session = InferenceSession.Create(modelPath, config);
        var data = ModelInputs.Resolve(session, inputSpecs, random, dims);

        var clock = Stopwatch.StartNew();
        var outputs = session.Run(data);
        clock.Stop();

        var dir = outputDir ?? Path.GetFileNameWithoutExtension(modelPath) + "-outputs";
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Output").AddColumn("Type").AddColumn("Shape").AddColumn("Min").AddColumn("Max").AddColumn("Mean").AddColumn("File");
        foreach (var (name, tensor) in outputs)
        {
            var file = Path.Combine(dir, SafeFileName(name) + ".npy");
            if (tensor.ElementType == TensorElementType.String)
            {
                table.AddRow(Markup.Escape(name), "string", Markup.Escape(Shapes.Text(tensor.Shape)), "", "", "", "(strings are not written to .npy)");
                continue;
            }

            NpyFile.Write(file, tensor);
            var values = tensor.ToDoubleArray();
            var stats = values.Length == 0 ? ("", "", "") : (F(values.Min()), F(values.Max()), F(values.Average()));
            table.AddRow(Markup.Escape(name), TensorElementTypeInfo.Name(tensor.ElementType), Markup.Escape(Shapes.Text(tensor.Shape)), stats.Item1, stats.Item2, stats.Item3, Markup.Escape(file));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"One inference in {ReportFormat.Duration(clock.Elapsed.TotalMilliseconds)} (first run, includes warm-up; use [bold]bench[/] for latency) on {ExecutionProviders.Name(config.Provider)}, ONNX Runtime {OrtEnvironment.Version}.");
        return ExitCodes.Success;
    }

    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat([':', '/', '\\']).ToHashSet();
        return new string(name.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
    }

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
