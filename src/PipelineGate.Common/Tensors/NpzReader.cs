using System.Collections.ObjectModel;
using System.IO.Compression;
using PipelineGate.Diagnostics;

namespace PipelineGate.Tensors;

/// <summary>
/// Opens an .npz archive (what <c>np.savez</c> and <c>np.savez_compressed</c> write) and loads its
/// arrays one at a time on request, so an evaluation set larger than memory can be walked entry by
/// entry. Entries may be stored or deflate-compressed. <see cref="Get"/> is safe to call from
/// several threads; the calls are serialized because a zip archive has one underlying stream.
/// </summary>
public sealed class NpzReader : IDisposable
{
    private const string RecreateHint = "Re-create the archive with np.savez or np.savez_compressed.";

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ZipArchive _archive;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private readonly ReadOnlyCollection<string> _names;
    private readonly string? _file;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Opens the archive at <paramref name="path"/>; only the zip directory is read now.</summary>
    public NpzReader(string path)
        : this(TensorFiles.OpenRead(path, "an .npz archive"), path, leaveOpen: false)
    {
    }

    /// <summary>
    /// Opens an archive held in <paramref name="stream"/>; <paramref name="displayName"/> names it in
    /// error messages. The stream is disposed with the reader unless <paramref name="leaveOpen"/> is true.
    /// </summary>
    public NpzReader(Stream stream, string displayName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _file = displayName;
        try
        {
            _archive = OpenArchive(stream, new TensorFileSource(displayName, null));
            var names = new List<string>();
            foreach (var entry in _archive.Entries)
            {
                // Folders show up as empty entries ending in '/'; they hold no array.
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (!_entries.TryAdd(name, entry))
                {
                    throw new PipelineGateException(
                        PgCode.TensorFileInvalid,
                        $"The archive holds two entries named '{name}'; expected each array name once.",
                        displayName,
                        hint: RecreateHint);
                }

                names.Add(name);
            }

            _names = names.AsReadOnly();
        }
        catch
        {
            _archive?.Dispose();
            if (!leaveOpen)
            {
                stream.Dispose();
            }

            throw;
        }
    }

    /// <summary>The array names in archive order, without the <c>.npy</c> suffix.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>True when the archive holds an array called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Loads one array; a missing name is PG2026, a malformed entry PG2020/PG2021.</summary>
    public TensorData Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_entries.TryGetValue(name, out var entry))
        {
            const int Listed = 20;
            var available = _names.Count == 0
                ? "it holds no arrays"
                : "it holds " + string.Join(", ", _names.Take(Listed).Select(n => "'" + n + "'")) + (_names.Count > Listed ? ", ..." : "");
            throw new PipelineGateException(
                PgCode.DataNotFound,
                $"The archive has no array named '{name}'; {available}.",
                _file,
                hint: "Check the array name; np.savez stores keyword arguments under their names and positional arrays as arr_0, arr_1, ...");
        }

        var source = new TensorFileSource(_file, entry.FullName);
        lock (_gate)
        {
            try
            {
                using var stream = entry.Open();
                return NpyFile.Read(stream, source);
            }
            catch (InvalidDataException ex)
            {
                throw source.Invalid($"The entry cannot be decompressed ({ex.Message}); expected a stored or deflate-compressed .npy.", RecreateHint, ex);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _archive.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static ZipArchive OpenArchive(Stream stream, TensorFileSource source)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position == 0)
            {
                throw source.Invalid("The file is empty; expected an .npz (zip) archive.", RecreateHint);
            }

            // Peek at the start so the common mix-ups get a precise message instead of "not a zip".
            Span<byte> lead = stackalloc byte[8];
            var start = stream.Position;
            var got = stream.ReadAtLeast(lead, lead.Length, throwOnEndOfStream: false);
            stream.Position = start;
            if (lead[..got].StartsWith((ReadOnlySpan<byte>)[0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']))
            {
                throw source.Invalid("This is a single .npy array, not an .npz archive.", "Read it as .npy, or bundle arrays with np.savez.");
            }

            if (lead[..got].StartsWith("version "u8))
            {
                throw source.Invalid("This looks like a Git LFS pointer file, not the .npz archive it stands for.", "Run 'git lfs pull' (or enable LFS in CI checkout) to fetch the real file.");
            }
        }

        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw source.Invalid($"Not a readable .npz (zip) archive: {ex.Message}", RecreateHint, ex);
        }
    }
}
