using System.Runtime.InteropServices;
using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime.Native;

/// <summary>Type information, tensors, strings, run and IoBinding.</summary>
internal sealed unsafe partial class OrtApi
{
    public int GetOnnxType(nint typeInfo)
    {
        int type;
        Check(((delegate* unmanaged<nint, int*, nint>)this[OrtApiSlot.GetOnnxTypeFromTypeInfo])(typeInfo, &type), PgCode.RunFailed, "Reading a value type failed");
        return type;
    }

    /// <summary>Borrowed pointer (valid while the type info lives), or 0 when the type is not a tensor.</summary>
    public nint CastTypeInfoToTensorInfo(nint typeInfo)
    {
        nint tensorInfo;
        Check(((delegate* unmanaged<nint, nint*, nint>)this[OrtApiSlot.CastTypeInfoToTensorInfo])(typeInfo, &tensorInfo), PgCode.RunFailed, "Reading tensor type info failed");
        return tensorInfo;
    }

    public (int ElementType, long[] Dims, string[] Symbols) ReadTensorInfo(nint info)
    {
        int elementType;
        nuint rank;
        Check(((delegate* unmanaged<nint, int*, nint>)this[OrtApiSlot.GetTensorElementType])(info, &elementType), PgCode.RunFailed, "Reading a tensor element type failed");
        Check(((delegate* unmanaged<nint, nuint*, nint>)this[OrtApiSlot.GetDimensionsCount])(info, &rank), PgCode.RunFailed, "Reading a tensor rank failed");
        var dims = new long[(int)rank];
        var symbols = new string[(int)rank];
        if (rank > 0)
        {
            var symbolPointers = stackalloc nint[(int)rank];
            fixed (long* d = dims)
            {
                Check(((delegate* unmanaged<nint, long*, nuint, nint>)this[OrtApiSlot.GetDimensions])(info, d, rank), PgCode.RunFailed, "Reading tensor dimensions failed");
            }

            Check(((delegate* unmanaged<nint, nint*, nuint, nint>)this[OrtApiSlot.GetSymbolicDimensions])(info, symbolPointers, rank), PgCode.RunFailed, "Reading symbolic dimensions failed");
            for (var i = 0; i < (int)rank; i++)
            {
                symbols[i] = Marshal.PtrToStringUTF8(symbolPointers[i]) ?? string.Empty;
            }
        }

        return (elementType, dims, symbols);
    }

    public nint CreateCpuMemoryInfo()
    {
        nint info;

        // OrtDeviceAllocator (0) with OrtMemTypeDefault (0): plain CPU memory the caller owns.
        Check(((delegate* unmanaged<int, int, nint*, nint>)this[OrtApiSlot.CreateCpuMemoryInfo])(0, 0, &info), PgCode.RunFailed, "Creating CPU memory info failed");
        return info;
    }

    /// <summary>A tensor over caller-owned memory: ORT does not copy or free it (the caller keeps it alive).</summary>
    public nint CreateTensorWithData(nint memoryInfo, void* data, nuint byteLength, ReadOnlySpan<long> shape, int elementType)
    {
        nint value;
        fixed (long* s = shape)
        {
            Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)this[OrtApiSlot.CreateTensorWithDataAsOrtValue])(memoryInfo, data, byteLength, s, (nuint)shape.Length, elementType, &value),
                PgCode.InputBindingFailed, "Creating a tensor failed");
        }

        return value;
    }

    /// <summary>A tensor whose memory ORT allocates and frees (used for strings).</summary>
    public nint CreateTensor(ReadOnlySpan<long> shape, int elementType)
    {
        nint value;
        fixed (long* s = shape)
        {
            Check(((delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)this[OrtApiSlot.CreateTensorAsOrtValue])(DefaultAllocator(), s, (nuint)shape.Length, elementType, &value),
                PgCode.InputBindingFailed, "Creating a tensor failed");
        }

        return value;
    }

    public void FillStringTensor(nint value, IReadOnlyList<string> strings)
    {
        using var array = new NativeStringArray(strings);
        Check(((delegate* unmanaged<nint, nint, nuint, nint>)this[OrtApiSlot.FillStringTensor])(value, array.Pointer, (nuint)array.Count), PgCode.InputBindingFailed, "Filling a string tensor failed");
    }

    public string[] ReadStringTensor(nint value, long count)
    {
        nuint total;
        Check(((delegate* unmanaged<nint, nuint*, nint>)this[OrtApiSlot.GetStringTensorDataLength])(value, &total), PgCode.RunFailed, "Reading a string tensor failed");
        var bytes = new byte[(int)total];
        var offsets = new nuint[Math.Max(1, count)];
        fixed (byte* b = bytes)
        fixed (nuint* o = offsets)
        {
            Check(((delegate* unmanaged<nint, byte*, nuint, nuint*, nuint, nint>)this[OrtApiSlot.GetStringTensorContent])(value, b, total, o, (nuint)count),
                PgCode.RunFailed, "Reading a string tensor failed");
        }

        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)offsets[i];
            var end = i + 1 < count ? (int)offsets[i + 1] : bytes.Length;
            result[i] = System.Text.Encoding.UTF8.GetString(bytes, start, end - start);
        }

        return result;
    }

    public nint GetTensorTypeAndShape(nint value)
    {
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)this[OrtApiSlot.GetTensorTypeAndShape])(value, &info), PgCode.RunFailed, "Reading an output's type and shape failed");
        return info;
    }

    public void* GetTensorMutableData(nint value)
    {
        void* data;
        Check(((delegate* unmanaged<nint, void**, nint>)this[OrtApiSlot.GetTensorMutableData])(value, &data), PgCode.RunFailed, "Reading tensor data failed");
        return data;
    }

    public nuint GetTensorSizeInBytes(nint value)
    {
        nuint size;
        Check(((delegate* unmanaged<nint, nuint*, nint>)this[OrtApiSlot.GetTensorSizeInBytes])(value, &size), PgCode.RunFailed, "Reading tensor size failed");
        return size;
    }

    public nint CreateRunOptions()
    {
        nint options;
        Check(((delegate* unmanaged<nint*, nint>)this[OrtApiSlot.CreateRunOptions])(&options), PgCode.RunFailed, "Creating run options failed");
        return options;
    }

    public void RunOptionsFlag(OrtApiSlot slot, nint runOptions) =>
        Check(((delegate* unmanaged<nint, nint>)this[slot])(runOptions), PgCode.RunFailed, "Setting a run option failed");

    /// <summary>The hot call. Names and values are pre-marshalled native arrays; outputs entries may be 0 (ORT allocates).</summary>
    public void Run(nint session, nint runOptions, nint* inputNames, nint* inputs, nuint inputCount, nint* outputNames, nuint outputCount, nint* outputs, string modelName) =>
        Check(((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)this[OrtApiSlot.Run])(session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs),
            PgCode.RunFailed, "Inference failed", modelName);

    public nint CreateIoBinding(nint session)
    {
        nint binding;
        Check(((delegate* unmanaged<nint, nint*, nint>)this[OrtApiSlot.CreateIoBinding])(session, &binding), PgCode.InputBindingFailed, "Creating an IoBinding failed");
        return binding;
    }

    public void Bind(OrtApiSlot slot, nint binding, string name, nint value)
    {
        using var n = NativeString.Utf8(name);
        Check(((delegate* unmanaged<nint, nint, nint, nint>)this[slot])(binding, n.Pointer, value), PgCode.InputBindingFailed, $"Binding '{name}' failed");
    }

    public void RunWithBinding(nint session, nint runOptions, nint binding, string modelName) =>
        Check(((delegate* unmanaged<nint, nint, nint, nint>)this[OrtApiSlot.RunWithBinding])(session, runOptions, binding), PgCode.RunFailed, "Inference with IoBinding failed", modelName);

    /// <summary>Values bound as outputs after a run; each returned value is owned by the caller.</summary>
    public nint[] GetBoundOutputValues(nint binding)
    {
        var allocator = DefaultAllocator();
        nint* values;
        nuint count;
        Check(((delegate* unmanaged<nint, nint, nint**, nuint*, nint>)this[OrtApiSlot.GetBoundOutputValues])(binding, allocator, &values, &count), PgCode.RunFailed, "Reading bound outputs failed");
        var result = new nint[(int)count];
        for (var i = 0; i < (int)count; i++)
        {
            result[i] = values[i];
        }

        if (values is not null)
        {
            Check(((delegate* unmanaged<nint, nint, nint>)this[OrtApiSlot.AllocatorFree])(allocator, (nint)values), PgCode.RunFailed, "Freeing the bound output list failed");
        }

        return result;
    }

    public void ClearBinding(OrtApiSlot slot, nint binding) => ((delegate* unmanaged<nint, void>)this[slot])(binding);
}
