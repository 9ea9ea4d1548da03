using System.Runtime.InteropServices;
using PipelineGate.Runtime.Handles;
using PipelineGate.Runtime.Native;
using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// A tensor as ONNX Runtime sees it (an OrtValue). Tensors made from <see cref="TensorData"/> or
/// allocated for outputs own a 64-byte-aligned native buffer that ORT reads and writes in place; it
/// is freed after the OrtValue is released. Tensors that ORT allocated (outputs of a plain run,
/// string tensors) own nothing but their handle.
/// </summary>
public sealed unsafe class OrtTensor : IDisposable
{
    private const nuint Alignment = 64;
    private void* _buffer;

    private OrtTensor(ValueHandle handle, void* buffer, nuint byteLength, TensorElementType elementType, long[] shape)
    {
        Handle = handle;
        _buffer = buffer;
        ByteLength = byteLength;
        ElementType = elementType;
        Shape = shape;
    }

    public TensorElementType ElementType { get; }

    public IReadOnlyList<long> Shape { get; }

    public nuint ByteLength { get; }

    internal ValueHandle Handle { get; }

    internal nint Pointer => Handle.DangerousGetHandle();

    /// <summary>Copies the data into a new native tensor.</summary>
    public static OrtTensor FromData(TensorData data)
    {
        if (data.ElementType == TensorElementType.String)
        {
            var api = OrtApi.Instance;
            var value = new ValueHandle(api.CreateTensor(data.ShapeArray(), (int)TensorElementType.String));
            api.FillStringTensor(value.DangerousGetHandle(), data.Strings!);
            return new OrtTensor(value, null, 0, data.ElementType, data.ShapeArray());
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
        using var memoryInfo = new MemoryInfoHandle(OrtApi.Instance.CreateCpuMemoryInfo());
        try
        {
            var value = OrtApi.Instance.CreateTensorWithData(memoryInfo.DangerousGetHandle(), buffer, length, shape, (int)elementType);
            return new OrtTensor(new ValueHandle(value), buffer, length, elementType, shape);
        }
        catch
        {
            NativeMemory.AlignedFree(buffer);
            throw;
        }
    }

    /// <summary>Takes ownership of a tensor OrtValue that ORT allocated.</summary>
    internal static OrtTensor Adopt(nint value)
    {
        var handle = new ValueHandle(value);
        var api = OrtApi.Instance;
        using var info = new TensorTypeAndShapeInfoHandle(api.GetTensorTypeAndShape(value));
        var (elementType, dims, _) = api.ReadTensorInfo(info.DangerousGetHandle());
        var type = (TensorElementType)elementType;
        var length = type == TensorElementType.String ? 0 : api.GetTensorSizeInBytes(value);
        return new OrtTensor(handle, null, length, type, dims);
    }

    /// <summary>The element bytes, in place (ORT writes outputs here). Empty for string tensors.</summary>
    public Span<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            if (ElementType == TensorElementType.String)
            {
                return [];
            }

            var data = _buffer is not null ? _buffer : OrtApi.Instance.GetTensorMutableData(Pointer);
            return new Span<byte>(data, checked((int)ByteLength));
        }
    }

    /// <summary>A managed copy.</summary>
    public TensorData ToTensorData()
    {
        var shape = Shape.ToArray();
        if (ElementType == TensorElementType.String)
        {
            return TensorData.FromStrings(OrtApi.Instance.ReadStringTensor(Pointer, TensorData.ShapeElementCount(shape)), shape);
        }

        return TensorData.FromBytes(ElementType, shape, Bytes.ToArray());
    }

    public void Dispose()
    {
        Handle.Dispose();
        if (_buffer is not null)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
        }
    }
}
