using System.Diagnostics;
using System.Text.RegularExpressions;
using Google.Protobuf;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;
using static PipelineGate.TestAssets.Models.TinyModels;

namespace PipelineGate.TestAssets.Native;

/// <summary>
/// The custom-op library of the native-fault tests (Native/pg_fault_ops.c: domain "pg.test", ops Abort and
/// Sleep), compiled with gcc against onnxruntime_c_api.h of the restored Microsoft.ML.OnnxRuntime package into
/// the per-user cache, once per source and header; and the one-node models that use it.
/// </summary>
public static partial class NativeFaultLibrary
{
    public const string Domain = "pg.test";

    /// <summary>gcc on PATH, or null (then <see cref="SkipReason"/> says why the tests that need it are skipped).</summary>
    public static string? Compiler { get; } = FindOnPath("gcc");

    /// <summary>Why native-fault tests are skipped on this machine, or null when they run.</summary>
    public static string? SkipReason =>
        Compiler is null ? "gcc is not on PATH: the native-fault tests compile Native/pg_fault_ops.c at setup (apt-get install gcc)." : null;

    private static readonly Lazy<string> Built = new(Build);

    /// <summary>The compiled library (built on first use).</summary>
    public static string Path => Built.Value;

    /// <summary>x (float [1]) → pg.test:<paramref name="op"/> → y (float [1]); <paramref name="op"/> is "Abort" or "Sleep".</summary>
    public static byte[] Model(string op)
    {
        var graph = new GraphProto { Name = op.ToLowerInvariant() + "_graph" };
        graph.Input.Add(Value("x", TensorElementType.Float, "1"));
        graph.Output.Add(Value("y", TensorElementType.Float, "1"));
        var node = Node(op, ["x"], ["y"], op.ToLowerInvariant());
        node.Domain = Domain;
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 8, ProducerName = "pipelinegate-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = Domain, Version = 1 });
        return model.ToByteArray();
    }

    /// <summary>onnxruntime_c_api.h's folder in the restored package of the version Directory.Packages.props pins.</summary>
    public static string OrtIncludeFolder()
    {
        var props = File.ReadAllText(RepoPaths.Of("Directory.Packages.props"));
        var version = OrtVersion().Match(props) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException("Directory.Packages.props pins no Microsoft.ML.OnnxRuntime version.");
        var roots = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        foreach (var root in roots.Where(static r => !string.IsNullOrEmpty(r)))
        {
            var include = System.IO.Path.Combine(root!, "microsoft.ml.onnxruntime", version, "build", "native", "include");
            if (File.Exists(System.IO.Path.Combine(include, "onnxruntime_c_api.h")))
            {
                return include;
            }
        }

        throw new InvalidOperationException($"onnxruntime_c_api.h of Microsoft.ML.OnnxRuntime {version} was not found under {string.Join(" or ", roots.Where(static r => !string.IsNullOrEmpty(r)))}: restore the solution first (dotnet restore).");
    }

    private static string Build()
    {
        var compiler = Compiler ?? throw new InvalidOperationException(SkipReason);
        var source = RepoPaths.Of(System.IO.Path.Combine("tests", "PipelineGate.TestAssets", "Native", "pg_fault_ops.c"));
        var include = OrtIncludeFolder();
        var key = AssetCache.Sha256(source)[..12] + "-" + AssetCache.Sha256(System.IO.Path.Combine(include, "onnxruntime_c_api.h"))[..12];
        var dir = System.IO.Path.Combine(AssetCache.Root, "native", "pg_fault_ops-" + key);
        var library = System.IO.Path.Combine(dir, "libpg_fault_ops.so");
        if (File.Exists(library))
        {
            return library;
        }

        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, $"libpg_fault_ops.{Environment.ProcessId}.tmp");
        var psi = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-shared", "-fPIC", "-O1", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden", "-I", include, "-o", temp, source })
        {
            psi.ArgumentList.Add(a);
        }

        using var gcc = Process.Start(psi)!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.StandardOutput.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed ({gcc.ExitCode}) on {source}: {errors}");
        }

        File.Move(temp, library, overwrite: true); // parallel test assemblies build the same bytes; the last rename wins
        return library;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);

    [GeneratedRegex("Include=\"Microsoft\\.ML\\.OnnxRuntime\" Version=\"([^\"]+)\"")]
    private static partial Regex OrtVersion();
}
