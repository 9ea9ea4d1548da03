namespace PipelineGate.Optimize.Quantization;

/// <summary>How an activation's range is chosen from calibration data.</summary>
internal enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,

    /// <summary>A high percentile (99.999th) of |x|, clipped to the observed range.</summary>
    Percentile,

    /// <summary>The |x| threshold minimizing KL divergence between the clipped and the 128-level quantized distribution.</summary>
    Entropy,

    /// <summary>Per tensor, the one of the three above with the smallest estimated quantization error (see CalibrationChoice).</summary>
    Auto,
}
