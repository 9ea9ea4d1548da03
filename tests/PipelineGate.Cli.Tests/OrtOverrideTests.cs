using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// PIPELINEGATE_ORT_PATH swaps the ONNX Runtime build under the official managed API. Together these show
/// the override is really used: a path that does not load fails (the bundled build would have run), and a
/// copy of a real library in another folder runs.
/// </summary>
public sealed class OrtOverrideTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-ort-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Override_that_does_not_exist_is_PG3001_exit_3_naming_the_path()
    {
        var missing = Path.Combine(_dir, "no-such-ort");
        var r = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PIPELINEGATE_ORT_PATH"] = missing },
            "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--random-inputs", "--output-dir", Path.Combine(_dir, "out"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("PG3001", r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.Contains(missing, r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_with_a_library_that_is_not_ort_is_PG3002_exit_3()
    {
        var notOrt = Path.Combine(_dir, "libnot-ort.so");
        File.Copy(typeof(OrtOverrideTests).Assembly.Location, notOrt); // not a native library at all
        var r = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PIPELINEGATE_ORT_PATH"] = notOrt },
            "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--random-inputs", "--output-dir", Path.Combine(_dir, "out"));
        Assert.Equal(3, r.ExitCode);
        Assert.Matches("PG300[12]", r.StdErr + r.StdOut);
        Assert.DoesNotContain("internal error", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_folder_with_a_copy_of_the_library_is_loaded_from_there()
    {
        var folder = Path.Combine(_dir, "ort");
        Directory.CreateDirectory(folder);
        var bundled = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var file in Directory.GetFiles(bundled))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var r = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PIPELINEGATE_ORT_PATH"] = folder },
            "run", CliProcess.Sample("digits", "digits_mlp.onnx"), "--random-inputs", "--output-dir", Path.Combine(_dir, "out"));
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.True(File.Exists(Path.Combine(_dir, "out", "probabilities.npy")));

        // doctor reads the path from the process's loaded modules: it is the copy, not the bundled file.
        var doctor = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PIPELINEGATE_ORT_PATH"] = folder }, "doctor", "--json");
        Assert.True(doctor.ExitCode == 0, doctor.StdOut + doctor.StdErr);
        using var json = System.Text.Json.JsonDocument.Parse(doctor.StdOut);
        var path = json.RootElement.GetProperty("onnxRuntime").GetProperty("libraryPath").GetString();
        Assert.StartsWith(folder, path, StringComparison.Ordinal);
    }
}
