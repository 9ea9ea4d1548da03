using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace PipelineGate.Tests.Report;

/// <summary>
/// Golden-file comparison: exact, byte for byte. With PIPELINEGATE_UPDATE_GOLDEN=1 the files are
/// rewritten instead; review the diff before committing it.
/// </summary>
internal static class Golden
{
    private const string UpdateVariable = "PIPELINEGATE_UPDATE_GOLDEN";
    private static readonly Lock Gate = new();

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static void Match(string name, string actual, [CallerFilePath] string sourceFile = "")
    {
        var path = Path.Combine(Folder(sourceFile), name);
        if (Updating)
        {
            lock (Gate)
            {
                File.WriteAllText(path, actual, new UTF8Encoding(false));
            }

            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the tests with {UpdateVariable}=1 to create it.");
        // A checkout with core.autocrlf must not make the comparison fail on line endings alone.
        var expected = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            var saved = Path.Combine(Path.GetTempPath(), "pipelinegate-golden-" + name);
            File.WriteAllText(saved, actual, new UTF8Encoding(false));
            Assert.Fail($"{name} differs from {path} (actual output saved to {saved}; set {UpdateVariable}=1 to accept it). " +
                $"First difference at index {FirstDifference(expected, actual)}:\n" +
                $"expected: {Around(expected, FirstDifference(expected, actual))}\nactual:   {Around(actual, FirstDifference(expected, actual))}");
        }
    }

    // The source tree, found through this file's compile-time path, or by walking up from the test
    // binaries when the build maps source paths (deterministic CI builds).
    private static string Folder(string sourceFile)
    {
        var beside = Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "Golden");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "PipelineGate.Core.Tests", "Report", "Golden");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"Golden folder not found beside {sourceFile} or above {AppContext.BaseDirectory}.");
    }

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }

    private static string Around(string s, int i) => s.Substring(Math.Max(0, i - 40), Math.Min(s.Length - Math.Max(0, i - 40), 80)).Replace("\n", "⏎", StringComparison.Ordinal);
}
