using System.Text;

namespace PipelineGate.IO;

/// <summary>
/// Writes files so that a reader sees either the old content or the new, never a partial file: the
/// bytes go to a temporary file in the same folder (same volume, so the rename is atomic) and are
/// moved over the target at the end. A failed write removes the temporary file and leaves the target alone.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes through a stream callback.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes UTF-8 text (no BOM); skips the write when the file already holds exactly this text.</summary>
    public static void WriteAllText(string path, string text)
    {
        var bytes = Utf8NoBom.GetBytes(text);
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        Write(path, s => s.Write(bytes));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden temp file is harmless, losing the original exception is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
