namespace PipelineGate.TestAssets;

/// <summary>Files of the repository itself (docs, schema, samples), found from the test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")) && Directory.Exists(Path.Combine(dir.FullName, "docs")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Directory.Packages.props and docs/) was not found above " + AppContext.BaseDirectory);
    }
}
