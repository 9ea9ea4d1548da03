namespace PipelineGate.IO;

/// <summary>
/// The per-user cache folder for fetched test assets, variants and models: PIPELINEGATE_CACHE, else
/// $XDG_CACHE_HOME/pipelinegate, else %LOCALAPPDATA%\pipelinegate on Windows, else ~/.cache/pipelinegate.
/// </summary>
public static class CacheFolder
{
    public const string Variable = "PIPELINEGATE_CACHE";

    /// <summary>Built variants, shared by every gate of this user (content-addressed; safe to delete).</summary>
    public static string Variants() => System.IO.Path.Combine(Path(), "variants");

    public static string Path()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
        {
            return System.IO.Path.Combine(xdg, "pipelinegate");
        }

        if (OperatingSystem.IsWindows())
        {
            return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "pipelinegate");
        }

        return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pipelinegate");
    }
}
