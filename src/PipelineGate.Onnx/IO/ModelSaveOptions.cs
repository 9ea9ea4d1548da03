namespace PipelineGate.Onnx.IO;

/// <summary>How <see cref="ModelWriter"/> stores tensors.</summary>
public sealed record ModelSaveOptions
{
    /// <summary>
    /// Tensors with at least this many bytes are moved to an external data file beside the model;
    /// null keeps every tensor inside the .onnx file (which protobuf limits to 2 GiB).
    /// </summary>
    public long? ExternalDataThreshold { get; init; }

    /// <summary>Name of the external data file (in the model's folder); default: the model's file name + ".data".</summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>Offsets in the data file are aligned to this many bytes so that the runtime can map them.</summary>
    public int Alignment { get; init; } = 4096;

    public static ModelSaveOptions Default { get; } = new();
}
