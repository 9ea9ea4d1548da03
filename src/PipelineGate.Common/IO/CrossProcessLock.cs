namespace PipelineGate.IO;

/// <summary>
/// An exclusive lock between processes (two gates on one cache or output folder, parallel MSBuild nodes,
/// matrix jobs on one runner): a lock file opened with FileShare.None, which .NET maps to flock(2) on Unix
/// and a share-mode lock on Windows. The operating system releases it when the holder dies, so a killed
/// run never leaves a cache locked.
/// </summary>
public sealed class CrossProcessLock : IDisposable
{
    private readonly FileStream _stream;

    private CrossProcessLock(FileStream stream) => _stream = stream;

    /// <summary>Waits for the lock at <paramref name="path"/> (created if missing) up to <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another process held it for longer than <paramref name="timeout"/>.</exception>
    public static CrossProcessLock Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        var wait = 10;
        while (true)
        {
            try
            {
                return new CrossProcessLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(wait);
                wait = Math.Min(wait * 2, 250);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"'{path}' stayed locked by another process for {timeout.TotalSeconds:0} s.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
