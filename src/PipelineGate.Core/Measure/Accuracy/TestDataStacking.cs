namespace PipelineGate.Measure.Accuracy;

/// <summary>How the tensors of several ONNX test data sets are joined into one evaluation set.</summary>
public enum TestDataStacking
{
    /// <summary>
    /// Decide from the model's input ranks: equal rank means the tensors already carry the batch axis;
    /// one less means each set is a single sample. Without model inputs, tensors whose leading
    /// dimensions agree within every set are taken to carry the batch axis.
    /// </summary>
    Auto = 0,

    /// <summary>Each set is one sample; a new leading axis is added.</summary>
    NewAxis,

    /// <summary>Each set is a batch; sets are concatenated along their leading axis.</summary>
    ExistingAxis,
}
