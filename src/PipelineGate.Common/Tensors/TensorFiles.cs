using PipelineGate.Diagnostics;

namespace PipelineGate.Tensors;

/// <summary>File access shared by the tensor readers, turning "not there" into PG2026 instead of a stack trace.</summary>
internal static class TensorFiles
{
    public static FileStream OpenRead(string path, string expected)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new PipelineGateException(
                PgCode.DataNotFound,
                $"This is a folder; expected {expected}.",
                path,
                hint: "Point the setting at the file itself, not the folder that holds it.");
        }

        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PipelineGateException(
                PgCode.DataNotFound,
                $"File not found; expected {expected} at {full}.",
                path,
                hint: "Check the path and the current directory (relative paths resolve against it), and that the data was generated or downloaded before this step.",
                inner: ex);
        }
    }
}
