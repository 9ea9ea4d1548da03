using System.Runtime.Intrinsics.X86;

namespace PipelineGate.Measure.Environment;

/// <summary>CPU facts from /proc/cpuinfo where there is one, else from .NET's intrinsics support flags.</summary>
internal static class CpuInfo
{
    private static readonly string[] Interesting = ["avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_int8", "amx_bf16", "asimd", "sve"];

    // The x86 extensions that decide which int8 GEMM kernels ONNX Runtime (MLAS) can pick, as named in
    // Intel's manuals and as flagged in /proc/cpuinfo. AMX counts for int8 only with its int8 part.
    private static readonly (string Name, string Flag)[] Int8 =
        [("AVX2", "avx2"), ("AVX-512F", "avx512f"), ("AVX-512 VNNI", "avx512_vnni"), ("AVX-VNNI", "avx_vnni"), ("AMX", "amx_int8")];

    /// <summary>
    /// Whether this CPU has an int8 dot-product instruction that ONNX Runtime's u8·s8 GEMM uses without int16
    /// saturation: AVX-512 VNNI, AVX-VNNI or AMX int8 (x86). Read once per process.
    /// </summary>
    public static bool HasInt8DotProduct() => Int8DotProduct.Value;

    private static readonly Lazy<bool> Int8DotProduct = new(static () =>
    {
        var flags = IsaFlags();
        return flags.Contains("avx512_vnni", StringComparer.Ordinal) || flags.Contains("avx_vnni", StringComparer.Ordinal) || flags.Contains("amx_int8", StringComparer.Ordinal);
    });

    public static string ModelName()
    {
        foreach (var line in ProcCpuInfo())
        {
            if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("Model", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return System.Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? "unknown CPU";
    }

    public static IReadOnlyList<string> IsaFlags()
    {
        var flagsLine = ProcCpuInfo().FirstOrDefault(static l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal));
        if (flagsLine is not null)
        {
            var flags = flagsLine[(flagsLine.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return Interesting.Where(flags.Contains).ToArray();
        }

        var list = new List<string>();
        if (Avx2.IsSupported)
        {
            list.Add("avx2");
        }

        if (Avx512F.IsSupported)
        {
            list.Add("avx512f");
        }

        if (AvxVnni.IsSupported)
        {
            list.Add("avx_vnni");
        }

        return list;
    }

    /// <summary>Each int8-relevant extension and whether this CPU has it, in a fixed order.</summary>
    public static IReadOnlyList<IsaFeature> Int8Features() => Int8Features(IsaFlags());

    internal static IReadOnlyList<IsaFeature> Int8Features(IReadOnlyList<string> isaFlags) =>
        Int8.Select(f => new IsaFeature(f.Name, f.Flag, isaFlags.Contains(f.Flag, StringComparer.Ordinal))).ToArray();

    private static IEnumerable<string> ProcCpuInfo()
    {
        const string path = "/proc/cpuinfo";
        return File.Exists(path) ? File.ReadLines(path).TakeWhile(static l => l.Length > 0).ToArray() : [];
    }
}
