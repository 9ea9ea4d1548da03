namespace PipelineGate.Runtime;

/// <summary>ONNX Runtime's error codes (OrtErrorCode in the C API); unknown future values are kept as numbers.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,
    DeviceReset = 15,
}
