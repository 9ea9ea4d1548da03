namespace PipelineGate.Tests.Measure.Accuracy;

/// <summary>A private scratch folder per test (removed afterwards) and the repository's sample data.</summary>
internal sealed class AccuracyTestFiles : IDisposable
{
    public AccuracyTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "pg-accuracy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    public string Folder(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>samples/digits/eval of the repository, found by walking up from the test binaries.</summary>
    public static string DigitsEval()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "digits", "eval");
            if (File.Exists(Path.Combine(candidate, "pixels.npy")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("samples/digits/eval was not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder are harmless; cleanup must not fail a test.
        }
    }
}
