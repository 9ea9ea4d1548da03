using System.IO.Compression;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Measure.Size;

/// <summary>Computes <see cref="SizeReport"/> for a model on disk.</summary>
public static class SizeMeter
{
    public static SizeReport Measure(ModelFile model, ModelFacts? facts = null)
    {
        facts ??= ModelInspector.Inspect(model);
        var files = new List<string>();
        if (File.Exists(model.DisplayPath))
        {
            files.Add(model.DisplayPath);
        }

        foreach (var (tensor, where) in ModelWalker.Tensors(model.Model))
        {
            if (ExternalDataInfo.IsExternal(tensor))
            {
                var (path, _) = ExternalDataResolver.Resolve(model, tensor, where);
                if (!files.Contains(path))
                {
                    files.Add(path);
                }
            }
        }

        return new SizeReport
        {
            FileBytes = facts.FileBytes,
            ExternalDataBytes = facts.ExternalDataBytes,
            CompressedBytes = files.Count > 0 ? CompressedLength(files) : CompressedLength(model.ToByteArray()),
            ParameterCount = facts.ParameterCount,
            NonzeroParameterCount = facts.NonzeroParameterCount ?? facts.ParameterCount,
            BytesByType = facts.ParametersByType.ToDictionary(static t => t.ElementType, static t => t.Bytes, StringComparer.Ordinal),
            Macs = facts.Compute.Macs,
            MacsComplete = facts.Compute.Complete,
        };
    }

    private static long CompressedLength(IEnumerable<string> files)
    {
        var counter = new CountingStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var f in files)
            {
                using var input = File.OpenRead(f);
                input.CopyTo(gzip, 1 << 20);
            }
        }

        return counter.Length;
    }

    private static long CompressedLength(byte[] bytes)
    {
        var counter = new CountingStream();
        using (var gzip = new GZipStream(counter, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return counter.Length;
    }

    /// <summary>A write-only stream that only counts, so compressing a large model costs no memory.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
