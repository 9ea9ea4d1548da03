namespace PipelineGate.Tests.Report;

/// <summary>A private scratch folder, removed afterwards; a browser profile inside it never outlives the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pg-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string NewFolder(string prefix) => Directory.CreateDirectory(File(prefix + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A browser helper still closing a file must not fail the test; the temp folder is swept anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
