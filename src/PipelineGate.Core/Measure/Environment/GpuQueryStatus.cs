namespace PipelineGate.Measure.Environment;

/// <summary>What asking nvidia-smi about the GPUs came to.</summary>
public enum GpuQueryStatus
{
    /// <summary>nvidia-smi answered; the devices are listed.</summary>
    Ok,

    /// <summary>There is no nvidia-smi on PATH (usually: no NVIDIA driver on this machine).</summary>
    Absent,

    /// <summary>nvidia-smi is there but failed or did not answer in time; the detail says how.</summary>
    Failed,
}
