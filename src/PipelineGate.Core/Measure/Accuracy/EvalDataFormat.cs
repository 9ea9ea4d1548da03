namespace PipelineGate.Measure.Accuracy;

/// <summary>The on-disk layouts an evaluation set can have.</summary>
public enum EvalDataFormat
{
    /// <summary>Decide from the path: extension for files, contents for folders.</summary>
    Auto = 0,

    /// <summary>One .npy file holding the only model input (labels optionally from a sibling .npy).</summary>
    Npy,

    /// <summary>A folder of .npy files, one per input and one for the labels, named after them.</summary>
    NpyFolder,

    /// <summary>An .npz archive (np.savez or np.savez_compressed) with arrays named after inputs and the label.</summary>
    Npz,

    /// <summary>ONNX test data sets: test_data_set_N/input_i.pb with optional output_i.pb.</summary>
    OnnxTestData,

    /// <summary>A CSV table with a header row, for tabular models.</summary>
    Csv,

    /// <summary>Lines of UTF-8 text tokenized into a BERT-class encoder's token-id inputs (needs a tokenizer).</summary>
    Text,
}
