using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// A tensor as ONNX Runtime sees it (an <see cref="OrtValue"/>). Tensors made from <see cref="TensorData"/>
/// or allocated for outputs own a 64-byte-aligned native buffer that ORT reads and writes in place
/// (wrapped, not copied, by OrtValue.CreateTensorValueWithData); the buffer is freed after the OrtValue is
/// disposed. Tensors that ORT allocated (outputs of a plain run, string tensors) own only their OrtValue.
/// </summary>
public sealed unsafe class OrtTensor : IDisposable
{
    private const nuint Alignment = 64;
    private void* _buffer;
    private bool _disposed;

    private OrtTensor(OrtValue value, void* buffer, nuint byteLength, TensorElementType elementType, long[] shape)
    {
        Value = value;
        _buffer = buffer;
        ByteLength = byteLength;
        ElementType = elementType;
        Shape = shape;
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    public nuint ByteLength { get; }

    internal OrtValue Value { get; }

    /// <summary>Copies the data into a new native tensor.</summary>
    public static OrtTensor FromData(TensorData data)
    {
        if (data.ElementType == TensorElementType.String)
        {
            var shape = data.ShapeArray();
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
            try
            {
                var strings = data.Strings!;
                for (var i = 0; i < strings.Length; i++)
                {
                    value.StringTensorSetElementAt(strings[i].AsSpan(), i);
                }
            }
            catch
            {
                value.Dispose();
                throw;
            }

            return new OrtTensor(value, null, 0, data.ElementType, shape);
        }

        var tensor = Allocate(data.ElementType, data.ShapeArray());
        data.Bytes.CopyTo(tensor.Bytes);
        return tensor;
    }

    /// <summary>A zero-filled native tensor (for preallocated outputs).</summary>
    public static OrtTensor Allocate(TensorElementType elementType, long[] shape)
    {
        var length = (nuint)TensorElementTypeInfo.ByteCount(elementType, TensorData.ShapeElementCount(shape));
        var buffer = NativeMemory.AlignedAlloc(Math.Max(length, 1), Alignment);
        NativeMemory.Clear(buffer, length);
        try
        {
            var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (Microsoft.ML.OnnxRuntime.Tensors.TensorElementType)(int)elementType,
                shape, (IntPtr)buffer, (long)length);
            return new OrtTensor(value, buffer, length, elementType, shape);
        }
        catch
        {
            NativeMemory.AlignedFree(buffer);
            throw;
        }
    }

    /// <summary>Takes ownership of a tensor OrtValue that ORT allocated.</summary>
    internal static OrtTensor Adopt(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var type = (TensorElementType)(int)info.ElementDataType;
        var length = type == TensorElementType.String ? 0 : (nuint)value.GetTensorDataAsSpan<byte>().Length;
        return new OrtTensor(value, null, length, type, info.Shape);
    }

    /// <summary>The element bytes, in place (ORT writes outputs here). Empty for string tensors.</summary>
    public Span<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (ElementType == TensorElementType.String)
            {
                return [];
            }

            return _buffer is not null ? new Span<byte>(_buffer, checked((int)ByteLength)) : Value.GetTensorMutableRawData();
        }
    }

    /// <summary>A managed copy.</summary>
    public TensorData ToTensorData()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shape = Shape.ToArray();
        if (ElementType == TensorElementType.String)
        {
            var count = checked((int)TensorData.ShapeElementCount(shape));
            var strings = new string[count];
            for (var i = 0; i < count; i++)
            {
                strings[i] = Value.GetStringElement(i);
            }

            return TensorData.FromStrings(strings, shape);
        }

        return TensorData.FromBytes(ElementType, shape, Bytes.ToArray());
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Value.Dispose();
        if (_buffer is not null)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
        }
    }
}
