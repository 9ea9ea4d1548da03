using System.Text;

namespace PipelineGate.MSBuild;

/// <summary>
/// The fingerprint of the last passing gate run, one line in the intermediate output folder. Written
/// atomically (temp file, then move) so a cancelled build never leaves a half stamp that could match.
/// </summary>
internal static class Stamp
{
    public static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Write(string path, string fingerprint)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllText(temp, fingerprint + "\n", new UTF8Encoding(false));
        if (File.Exists(path))
        {
            // Replace is a rename over the old file: readers see the old stamp or the new one, never neither.
            File.Replace(temp, path, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temp, path);
        }
    }

    /// <summary>Removes the stamp before a run, so that a run that fails or is cancelled re-runs next time.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
