namespace PipelineGate.Diagnostics;

/// <summary>
/// Every user-facing diagnostic code. The number is the code's identity (PG + four digits) and never
/// changes meaning once released; docs/diagnostics.md has one section per code.
/// PG1xxx configuration and usage · PG2xxx model and data files · PG3xxx runtime and providers ·
/// PG4xxx budget violations and regressions · PG5xxx publishing.
/// </summary>
public enum PgCode
{
    // PG1xxx: configuration and command-line usage
    ConfigNotFound = 1001,
    ConfigSyntax = 1002,
    ConfigUnknownKey = 1003,
    ConfigInvalidValue = 1004,
    ConfigInvalidUnit = 1005,
    ConfigMissingKey = 1006,
    ConfigUnknownTarget = 1007,
    ConfigUnknownProfile = 1008,
    ConfigUndefinedVariable = 1009,
    UsageInvalidArgument = 1010,
    ConfigTooLarge = 1011,
    ConfigTooManyEntries = 1012,
    ConfigUnknownComparison = 1019,
    ConfigComparisonNotApplicable = 1020,

    // PG1023-PG1024: custom-op libraries allowed by the config
    CustomOpLibraryNotFound = 1023,
    CustomOpLibraryHashMismatch = 1024,

    // PG1014-PG1016: pipelinegate init
    InitNoModels = 1014,
    InitConfigExists = 1015,
    InitModelUnreadable = 1016,

    // PG1017-PG1018: files fetched from a pinned package instead of committed
    FetchWithPath = 1017,
    FetchNeedsName = 1018,
    // PG1021-PG1022: accuracy-aware search of prune/factorize
    SearchNeedsData = 1021,

    // PG2xxx: model files
    ModelNotFound = 2001,
    ModelEmpty = 2002,
    ModelCorrupt = 2003,
    ModelIsGitLfsPointer = 2004,
    ExternalDataMissing = 2005,
    ExternalDataOutsideModelFolder = 2006,
    TensorDataLengthMismatch = 2007,
    UnsupportedIrVersion = 2008,
    OpsetImportInvalid = 2009,
    DanglingInput = 2010,
    DuplicateName = 2011,
    NotTopologicallySorted = 2012,
    InitializerTypeMismatch = 2013,
    ExternalDataOutOfRange = 2014,
    ModelTooLargeForSingleFile = 2015,
    GraphInvalid = 2016,
    GraphCycle = 2017,
    TensorTooLarge = 2018,

    // PG2xxx: tensor and evaluation data files
    TensorFileInvalid = 2020,
    TensorFileUnsupportedType = 2021,
    DataShapeMismatch = 2022,
    DataTypeMismatch = 2023,
    DataMissingInput = 2024,
    DataLabelMismatch = 2025,
    DataNotFound = 2026,
    TextFileEmpty = 2027,
    TextFileNotUtf8 = 2028,
    TokenizerVocabularyInvalid = 2029,

    // PG203x: optimization recipes
    RecipeNotApplicable = 2030,
    ModelAlreadyQuantized = 2031,
    CalibrationDataMissing = 2032,
    RecipeFailed = 2033,
    RecipeUnknown = 2034,
    PruneAmountOutOfRange = 2035,
    NothingToPrune = 2036,
    PrunePatternUnfollowable = 2037,
    StepAfterQuantize = 2038,
    FactorizeNotApplicable = 2039,

    // PG204x: text evaluation data (tokenized into a transformer's inputs)
    TextSequenceTooLong = 2040,
    TextModelInputsUnsupported = 2041,
    TokenizerFileInvalid = 2042,

    // PG2046-PG2049: fetched files (a resource of a pinned NuGet package)
    FetchPackageNotRestorable = 2046,
    FetchResourceMissing = 2047,
    FetchHashMismatch = 2048,
    FetchFailed = 2049,
    // PG205x: static QDQ accuracy-aware fallback
    MaxDropMetricNotApplicable = 2050,
    // PG2056-PG2059: transformer structured pruning (heads, FFN neurons)
    AttentionNotFollowable = 2056,
    // PG2043-PG2045: accuracy-aware search of prune/factorize
    SearchBudgetUnreachable = 2043,
    // PG2053-PG2055: labelled sentence pairs (similarity.spearman)
    SentencePairRowInvalid = 2053,
    SentencePairScoreInvalid = 2054,
    SentencePairsTooFew = 2055,
    // PG206x: resource bounds on hostile models and inputs (checked before anything is allocated)
    ModelNestingTooDeep = 2060,
    RandomInputsTooLarge = 2061,
    ShapeOperandTooLong = 2062,

    // PG3xxx: ONNX Runtime and execution providers
    NativeLibraryNotFound = 3001,
    NativeLibraryIncompatible = 3002,
    ProviderUnavailable = 3003,
    SessionCreateFailed = 3004,
    RunFailed = 3005,
    InvalidSessionOption = 3006,
    InputBindingFailed = 3007,
    MeasurementCrashed = 3009,
    MeasurementTimedOut = 3010,
    MeasurementWorkerFailed = 3011,
    CustomOpLibraryRejected = 3012,
    RandomInputUnsupported = 3013,

    // PG4xxx: notices about the comparison itself
    BaselineUnavailable = 4001,
    TargetSkipped = 4002,
    IncomparableRunner = 4003,
    PercentileUnsupported = 4004,
    SymbolicDimsFilled = 4005,
    VariantSlowerThanOriginal = 4006,

    // PG41xx: timing budgets
    LatencyOverBudget = 4101,
    LatencyRegression = 4102,
    ThroughputUnderBudget = 4103,
    ThroughputRegression = 4104,
    ColdStartOverBudget = 4105,
    ColdStartRegression = 4106,
    MemoryOverBudget = 4107,
    MemoryRegression = 4108,

    // PG42xx: deterministic budgets (size, parameters, compute)
    SizeOverBudget = 4201,
    SizeRegression = 4202,
    ParametersOverBudget = 4203,
    ParametersRegression = 4204,
    ComputeOverBudget = 4205,
    ComputeRegression = 4206,

    // PG43xx: accuracy and fidelity budgets
    AccuracyUnderBudget = 4301,
    AccuracyDropFromOriginal = 4302,
    AccuracyRegression = 4303,

    // PG44xx: release ratchet
    RatchetRegression = 4401,

    // PG45xx: the model's signature (inputs and outputs) against the baseline, and against the declared targets
    SignatureRenamed = 4501,
    SignatureElementTypeChanged = 4502,
    SignatureRankChanged = 4503,
    SignatureDimensionChanged = 4504,
    SignatureValueAdded = 4505,
    SignatureValueRemoved = 4506,
    SignatureChangeAccepted = 4507,
    SignatureAcceptanceObsolete = 4508,
    SignatureAcceptanceMismatch = 4509,
    SignatureBaselineMissing = 4510,
    OpsetAboveRuntime = 4511,
    IrVersionAboveRuntime = 4512,
    OpsFallBackToCpu = 4513,
    CustomDomainNeedsLibrary = 4514,
    KernelTableMissing = 4515,

    // PG5xxx: publishing (PR comments, annotations, summaries)
    PublishFailed = 5001,
    PublishUnauthorized = 5002,
    PublishNotInPullRequest = 5003,
    PublishTargetNotFound = 5004,
    PublishCommentTooLong = 5005,
    PublishReadOnlyToken = 5006,
    PublishRateLimited = 5007,
    PublishTokenMissing = 5008,
    PublishContextMissing = 5009,
    PublishUnsupported = 5010,

    // PG51xx: stored results read back by publish and merge
    ResultsFileInvalid = 5101,
    ResultsSchemaMismatch = 5102,
    ResultsMergeConflict = 5103,
}
