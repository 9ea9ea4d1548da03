using PipelineGate.Onnx.IO;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks;

/// <summary>Generates (once) a model of about the requested size: a chain of 1024×1024 float32 MatMuls (4 MiB each).</summary>
internal static class LargeModel
{
    public static string Ensure(string dir, int sizeMiB)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "large.onnx");
        if (!File.Exists(path))
        {
            var bytes = TinyModels.MatMulChain(1024, Math.Max(1, sizeMiB / 4));
            ModelWriter.Save(ModelFile.Load(bytes, path), path);
        }

        return path;
    }
}
