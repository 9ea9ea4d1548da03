namespace PipelineGate.Onnx.Facts;

/// <summary>
/// What a model is, as reported by <c>pipelinegate inspect</c> (JSON schema
/// <c>pipelinegate/inspect/v1</c>, docs/schemas/inspect-v1.md). Every number is exact except
/// <see cref="Compute"/>, which says what it could not count.
/// </summary>
public sealed record ModelFacts
{
    public const string SchemaId = "pipelinegate/inspect/v1";

    public string Schema { get; init; } = SchemaId;

    public required string Path { get; init; }

    public required long FileBytes { get; init; }

    public required long ExternalDataBytes { get; init; }

    public required long IrVersion { get; init; }

    public required string ProducerName { get; init; }

    public required string ProducerVersion { get; init; }

    public required IReadOnlyList<OpsetFact> Opsets { get; init; }

    public required IReadOnlyList<ValueFact> Inputs { get; init; }

    public required IReadOnlyList<ValueFact> Outputs { get; init; }

    /// <summary>Elements of all stored tensors (initializers and Constant values, subgraphs included).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Elements that are not zero; null when not computed.</summary>
    public long? NonzeroParameterCount { get; init; }

    public required long ParameterBytes { get; init; }

    public required IReadOnlyList<DtypeFact> ParametersByType { get; init; }

    public required int NodeCount { get; init; }

    /// <summary>Operator counts over all graphs, "domain:Op" for non-default domains, most frequent first.</summary>
    public required IReadOnlyList<OpCountFact> Operators { get; init; }

    public required ComputeEstimate Compute { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}

public sealed record OpsetFact(string Domain, long Version);

/// <summary>A graph input or output: name, element type, and dims (numbers, symbols, or "?").</summary>
public sealed record ValueFact(string Name, string ElementType, IReadOnlyList<string> Shape);

public sealed record DtypeFact(string ElementType, long Count, long Bytes);

public sealed record OpCountFact(string Op, int Count);
