using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PipelineGate.Measure.Environment;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary><c>pipelinegate doctor</c> run as a process: its JSON against what the test process sees of the same machine.</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-doctor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Doctor_json_is_versioned_and_consistent_with_this_machine()
    {
        var r = CliProcess.Run(_dir, "doctor", "--json");

        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("pipelinegate/doctor/v1", root.GetProperty("schema").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("toolVersion").GetString()));

        var ort = root.GetProperty("onnxRuntime");
        Assert.False(ort.TryGetProperty("error", out _));
        Assert.Matches(@"^\d+\.\d+\.\d+", ort.GetProperty("version").GetString());
        Assert.True(File.Exists(ort.GetProperty("libraryPath").GetString()), ort.GetProperty("libraryPath").GetString());
        var compiled = ort.GetProperty("compiledProviders").EnumerateArray().Select(static e => e.GetString()!).ToArray();
        Assert.Contains("CPUExecutionProvider", compiled);
        var flavour = ort.GetProperty("flavour").GetString();
        Assert.Equal(compiled.Contains("CUDAExecutionProvider") ? "gpu" : "cpu", flavour);

        var gpu = root.GetProperty("gpu");
        var gpuStatus = gpu.GetProperty("status").GetString();
        Assert.Contains(gpuStatus, new[] { "ok", "absent", "failed" });
        Assert.False(string.IsNullOrEmpty(gpu.GetProperty("detail").GetString()));
        Assert.Equal(gpuStatus == "ok", gpu.GetProperty("devices").GetArrayLength() > 0);

        var providers = root.GetProperty("providers").EnumerateArray().ToDictionary(static p => p.GetProperty("name").GetString()!);
        Assert.Equal(["CPU", "CUDA", "TensorRT"], providers.Keys);
        foreach (var p in providers.Values)
        {
            var available = p.GetProperty("available").GetBoolean();
            Assert.Equal(compiled.Contains(p.GetProperty("ortName").GetString()), p.GetProperty("compiled").GetBoolean());
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("detail").GetString()));
            Assert.True(!available || p.GetProperty("compiled").GetBoolean(), "a provider that loads must be compiled in");
            Assert.Equal(!available, p.TryGetProperty("install", out var install) && install.GetString()!.Length > 0);
        }

        Assert.True(providers["CPU"].GetProperty("available").GetBoolean());

        // Nothing on a CPU build, or on a machine whose driver nvidia-smi cannot reach, can load CUDA: this runner is such a machine.
        var cuda = providers["CUDA"];
        if (flavour == "cpu" || gpuStatus != "ok")
        {
            Assert.False(cuda.GetProperty("available").GetBoolean());
            Assert.Contains("libcudart.so.13", cuda.GetProperty("install").GetString(), StringComparison.Ordinal);
            Assert.Contains("TensorRT 10", providers["TensorRT"].GetProperty("install").GetString(), StringComparison.Ordinal);
        }

        if (flavour == "cpu")
        {
            Assert.Contains("PipelineGate.Tool.Gpu", cuda.GetProperty("install").GetString(), StringComparison.Ordinal);
        }

        var cpu = root.GetProperty("cpu");
        Assert.Equal(Environment.ProcessorCount, cpu.GetProperty("logicalCores").GetInt32());
        Assert.Equal(CpuInfo.ModelName(), cpu.GetProperty("model").GetString());
        Assert.Equal(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), cpu.GetProperty("architecture").GetString());
        var isa = cpu.GetProperty("isaFlags").EnumerateArray().Select(static e => e.GetString()!).ToArray();
        Assert.Equal(CpuInfo.IsaFlags(), isa);
        var int8 = cpu.GetProperty("int8").EnumerateArray().ToArray();
        Assert.Equal(["AVX2", "AVX-512F", "AVX-512 VNNI", "AVX-VNNI", "AMX"], int8.Select(static f => f.GetProperty("name").GetString()));
        Assert.All(int8, f => Assert.Equal(isa.Contains(f.GetProperty("flag").GetString()), f.GetProperty("present").GetBoolean()));
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            // An independent witness: the JIT's own view of the CPU.
            Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, int8[0].GetProperty("present").GetBoolean());
        }

        var memory = root.GetProperty("memory");
        var total = memory.GetProperty("totalBytes").GetInt64();
        if (File.Exists("/proc/meminfo"))
        {
            var kb = File.ReadLines("/proc/meminfo").First(static l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.Equal(long.Parse(kb, CultureInfo.InvariantCulture) * 1024, total);
        }

        Assert.InRange(memory.GetProperty("limitBytes").GetInt64(), 1, total);
        Assert.Equal(RuntimeInformation.FrameworkDescription, root.GetProperty("dotnetRuntime").GetString());
        Assert.Equal(RuntimeInformation.OSDescription, root.GetProperty("os").GetString());
        Assert.Equal(RuntimeInformation.RuntimeIdentifier, root.GetProperty("runtimeIdentifier").GetString());
    }

    [Fact]
    public void Without_nvidia_smi_on_PATH_the_gpu_is_no_nvidia_smi_and_the_exit_code_is_0()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty-path")).FullName;

        var json = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PATH"] = empty }, "doctor", "--json");
        var text = CliProcess.Run(_dir, new Dictionary<string, string?> { ["PATH"] = empty }, "doctor");

        Assert.True(json.ExitCode == 0, json.StdErr);
        using var doc = JsonDocument.Parse(json.StdOut);
        var gpu = doc.RootElement.GetProperty("gpu");
        Assert.Equal("absent", gpu.GetProperty("status").GetString());
        Assert.Equal("no nvidia-smi", gpu.GetProperty("detail").GetString());
        Assert.Equal(0, gpu.GetProperty("devices").GetArrayLength());
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains("no nvidia-smi", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("To use CUDA:", text.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gpus_are_read_from_nvidia_smi_with_the_documented_query()
    {
        var bin = FakeNvidiaSmi("""
            if [ "$#" -eq 2 ] && [ "$1" = "--query-gpu=name,driver_version,memory.total" ] && [ "$2" = "--format=csv,noheader" ]; then
              printf 'NVIDIA L4, 580.65.06, 23034 MiB\nNVIDIA A10G, 580.65.06, [N/A]\n'
              exit 0
            fi
            echo "unexpected arguments: $*" >&2
            exit 2
            """);

        var json = Doctor(bin, "--json");
        var text = Doctor(bin);

        Assert.True(json.ExitCode == 0, json.StdErr);
        using var doc = JsonDocument.Parse(json.StdOut);
        var gpu = doc.RootElement.GetProperty("gpu");
        Assert.Equal("ok", gpu.GetProperty("status").GetString());
        var devices = gpu.GetProperty("devices").EnumerateArray().ToArray();
        Assert.Equal(["NVIDIA L4", "NVIDIA A10G"], devices.Select(static d => d.GetProperty("name").GetString()));
        Assert.All(devices, static d => Assert.Equal("580.65.06", d.GetProperty("driverVersion").GetString()));
        Assert.Equal("23034 MiB", devices[0].GetProperty("memoryTotal").GetString());
        Assert.Equal(23034L * 1024 * 1024, devices[0].GetProperty("memoryBytes").GetInt64());
        Assert.False(devices[1].TryGetProperty("memoryBytes", out _));
        Assert.Contains("NVIDIA L4 · driver 580.65.06 · 23034 MiB", text.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_nvidia_smi_is_reported_in_its_own_words_and_the_exit_code_is_0()
    {
        var bin = FakeNvidiaSmi("""
            echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."
            exit 9
            """);

        var r = Doctor(bin, "--json");

        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var gpu = doc.RootElement.GetProperty("gpu");
        Assert.Equal("failed", gpu.GetProperty("status").GetString());
        var detail = gpu.GetProperty("detail").GetString()!;
        Assert.Contains("exited with code 9", detail, StringComparison.Ordinal);
        Assert.Contains("couldn't communicate with the NVIDIA driver", detail, StringComparison.Ordinal);
        Assert.Equal(0, gpu.GetProperty("devices").GetArrayLength());
    }

    private CliProcess.Result Doctor(string bin, params string[] args) =>
        CliProcess.Run(_dir, new Dictionary<string, string?> { ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") }, ["doctor", .. args]);

    private string FakeNvidiaSmi(string body)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("These tests fake nvidia-smi with a shell script.");
        }

        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var script = Path.Combine(bin, "nvidia-smi");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return bin;
    }
}
