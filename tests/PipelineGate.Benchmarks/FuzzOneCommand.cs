using System.Diagnostics;
using System.Globalization;
using PipelineGate.Benchmarks.Fuzz;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Validation;

namespace PipelineGate.Benchmarks;

/// <summary>
/// <c>fuzz-one seed index out.onnx [check]</c>: writes ONNX input <c>index</c> of <c>fuzz</c>'s seed <c>seed</c> to
/// <c>out.onnx</c> and names its seed model; with <c>check</c>, runs it through load, validate, inspect and the
/// in-process gate as <c>fuzz</c> does (same variant for the index), printing how long each step took.
/// </summary>
internal static class FuzzOneCommand
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: fuzz-one <seed> <index> <out.onnx> [check]");
            return 2;
        }

        var seed = int.Parse(args[0], CultureInfo.InvariantCulture);
        var index = int.Parse(args[1], CultureInfo.InvariantCulture);
        var (from, bytes) = FuzzRunner.OnnxInput(seed, index);
        File.WriteAllBytes(args[2], bytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed} input {index}: mutant of {from.Name} ({from.Bytes.Length} bytes), {bytes.Length} bytes, written to {args[2]}; check: {from.Check}"));
        Console.WriteLine("seed:   " + TryText(from.Bytes));
        Console.WriteLine("mutant: " + TryText(bytes));
        if (args.Length < 4 || args[3] != "check")
        {
            return 0;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "pg-fuzz-one-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(scratch);
        File.WriteAllBytes(Path.Combine(scratch, "weights.bin"), new byte[256]);
        var clock = Stopwatch.StartNew();
        void Step(string name, Action a)
        {
            Console.WriteLine($"{name} ...");
            var t = clock.Elapsed;
            try
            {
                a();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: done in {(clock.Elapsed - t).TotalMilliseconds:0.0} ms"));
            }
            catch (Exception ex)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {ex.GetType().Name} after {(clock.Elapsed - t).TotalMilliseconds:0.0} ms: {ex.Message.Split('\n')[0]}"));
                throw;
            }
        }

        try
        {
            ModelFile? file = null;
            Step("load", () => file = ModelFile.Load(bytes, "fuzz.onnx", scratch));
            Step("validate", () => Console.WriteLine("  findings: " + string.Join(", ", ModelValidator.Validate(file!).Select(static d => d.CodeText))));
            Step("inspect", () => ModelInspector.Inspect(file!));
            Step("check", () => Console.WriteLine("  codes: " + string.Join(", ", FuzzCheck.Model(bytes, index, scratch))));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return 0;
    }

    private static string TryText(byte[] bytes)
    {
        try
        {
            return PipelineGate.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes).ToString();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            return "(not a ModelProto: " + ex.Message + ")";
        }
    }
}
