using System.IO.Compression;
using PipelineGate.IO;

namespace PipelineGate.Tensors;

/// <summary>
/// Reads and writes numpy <c>.npz</c> archives: a zip with one <c>name.npy</c> entry per array, as
/// <c>np.savez</c> (stored) and <c>np.savez_compressed</c> (deflate) produce. Use <see cref="NpzReader"/>
/// to load entries one at a time.
/// </summary>
public static class NpzFile
{
    // A fixed entry time makes identical arrays produce identical archives (cache keys, diffs);
    // 1980-01-01 is the earliest time a zip header can hold.
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads every array, keyed by name without the <c>.npy</c> suffix, in archive order.</summary>
    public static IReadOnlyDictionary<string, TensorData> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new NpzReader(path);
        return ReadAll(reader);
    }

    /// <summary>Reads every array of an archive held in a stream; <paramref name="displayName"/> names it in errors.</summary>
    public static IReadOnlyDictionary<string, TensorData> Read(Stream stream, string displayName)
    {
        using var reader = new NpzReader(stream, displayName, leaveOpen: true);
        return ReadAll(reader);
    }

    /// <summary>
    /// Writes an archive atomically, one <c>name.npy</c> entry per array in dictionary order;
    /// <paramref name="compressed"/> chooses deflate (np.savez_compressed) over stored (np.savez).
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, TensorData> arrays, bool compressed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arrays);

        // Validate everything first: an unsupported tensor must not leave a half-built archive behind.
        var entries = Prepare(arrays, path);
        AtomicFile.Write(path, s => WriteEntries(s, entries, compressed));
    }

    /// <summary>Writes an archive to a stream; see <see cref="Write(string, IReadOnlyDictionary{string, TensorData}, bool)"/>.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, TensorData> arrays, bool compressed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(arrays);
        WriteEntries(stream, Prepare(arrays, null), compressed);
    }

    private static OrderedDictionary<string, TensorData> ReadAll(NpzReader reader)
    {
        var result = new OrderedDictionary<string, TensorData>(reader.Names.Count, StringComparer.Ordinal);
        foreach (var name in reader.Names)
        {
            result.Add(name, reader.Get(name));
        }

        return result;
    }

    private static List<(string EntryName, byte[] Preamble, TensorData Tensor)> Prepare(IReadOnlyDictionary<string, TensorData> arrays, string? path)
    {
        var entries = new List<(string, byte[], TensorData)>(arrays.Count);
        foreach (var (name, tensor) in arrays)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("Array names in an .npz must not be empty.", nameof(arrays));
            }

            ArgumentNullException.ThrowIfNull(tensor, nameof(arrays));
            var entryName = name + ".npy";
            entries.Add((entryName, NpyFile.Preamble(tensor, new TensorFileSource(path, entryName)), tensor));
        }

        return entries;
    }

    private static void WriteEntries(Stream stream, List<(string EntryName, byte[] Preamble, TensorData Tensor)> entries, bool compressed)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var level = compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        foreach (var (entryName, preamble, tensor) in entries)
        {
            var entry = archive.CreateEntry(entryName, level);
            entry.LastWriteTime = EntryTime;
            using var entryStream = entry.Open();
            entryStream.Write(preamble);
            entryStream.Write(tensor.Bytes);
        }
    }
}
