using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Reads row ranges of a .npy array straight from its file or .npz entry, so a large evaluation set
/// never has to fit in memory. Seekable streams jump to the rows; compressed entries are read forward
/// and reopened only when a batch lies before the current position (batches are normally read in order).
/// </summary>
internal sealed class NpyArraySource : IArraySource
{
    private readonly Func<Stream> _open;
    private readonly NpyLayout _layout;
    private readonly long _rowBytes;
    private Stream? _stream;
    private long _position;

    private NpyArraySource(string arrayName, string file, Func<Stream> open, NpyLayout layout)
    {
        ArrayName = arrayName;
        File = file;
        _open = open;
        _layout = layout;
        _rowBytes = TensorRows.RowBytes(layout.Type, layout.Shape, file, arrayName);
    }

    public string ArrayName { get; }

    public string File { get; }

    public TensorElementType ElementType => _layout.Type;

    public long[] Shape => _layout.Shape;

    /// <summary>
    /// A streaming source when the preamble shows the plain layout and the data is all there;
    /// otherwise the array loaded by <paramref name="loadWhole"/>, which also raises the proper
    /// PG2020/PG2021 error for a malformed file.
    /// </summary>
    public static IArraySource Open(string arrayName, string file, Func<Stream> open, long length, Func<TensorData> loadWhole)
    {
        NpyLayout? layout;
        try
        {
            using var probe = open();
            layout = NpyLayout.TryRead(probe);
        }
        catch (InvalidDataException)
        {
            // An entry that cannot be decompressed: the full reader reports it with its code.
            layout = null;
        }

        if (layout is { } l && l.Shape.Length > 0 && l.Shape.All(static d => d >= 0))
        {
            try
            {
                if (length >= checked(l.DataOffset + l.DataBytes))
                {
                    return new NpyArraySource(arrayName, file, open, l);
                }
            }
            catch (OverflowException)
            {
                // Falls through: NpyFile explains the impossible shape.
            }
        }

        return new TensorArraySource(arrayName, file, loadWhole());
    }

    public TensorData ReadRows(int start, int count)
    {
        var target = _layout.DataOffset + (start * _rowBytes);
        var length = count * _rowBytes;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch of {count} samples of '{ArrayName}' needs {length} bytes; use smaller batches.");
        }

        if (_stream is null || (!_stream.CanSeek && _position > target))
        {
            _stream?.Dispose();
            _stream = _open();
            _position = 0;
        }

        if (_stream.CanSeek)
        {
            _stream.Position = target;
        }
        else
        {
            Skip(_stream, target - _position);
        }

        var bytes = new byte[length];
        int got;
        try
        {
            got = _stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new PipelineGateException(
                PgCode.TensorFileInvalid,
                $"Array '{ArrayName}' cannot be decompressed ({ex.Message}).",
                File,
                hint: "Re-create the archive with np.savez or np.savez_compressed.",
                inner: ex);
        }

        _position = target + got;
        if (got < bytes.Length)
        {
            throw new PipelineGateException(
                PgCode.TensorFileInvalid,
                $"Array '{ArrayName}' ended early while reading samples {start.ToString(CultureInfo.InvariantCulture)}..{(start + count - 1).ToString(CultureInfo.InvariantCulture)}; the file changed after it was opened.",
                File,
                hint: "Do not rewrite evaluation data while PipelineGate reads it.");
        }

        if (_layout.Type == TensorElementType.Bool)
        {
            // numpy treats any non-zero byte as True; ONNX Runtime expects exactly 0 or 1.
            foreach (ref var b in bytes.AsSpan())
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }
        }

        return TensorData.FromBytes(_layout.Type, TensorRows.WithLeading(_layout.Shape, count), bytes);
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private static void Skip(Stream stream, long bytes)
    {
        var scratch = new byte[(int)Math.Min(bytes, 1 << 16)];
        while (bytes > 0)
        {
            var n = stream.Read(scratch, 0, (int)Math.Min(bytes, scratch.Length));
            if (n == 0)
            {
                return;
            }

            bytes -= n;
        }
    }
}
