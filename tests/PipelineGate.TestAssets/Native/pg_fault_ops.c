/*
 * A custom-op library for PipelineGate's native-fault tests: domain "pg.test", ops
 *   Abort (float in, float out): calls abort() when run, as a faulting ONNX Runtime kernel would;
 *   Sleep (float in, float out): never returns from its kernel, as a hanging one would.
 * Built by the test setup with gcc against onnxruntime_c_api.h from the restored
 * Microsoft.ML.OnnxRuntime package (NativeFaultLibrary.cs); never committed as a binary.
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include "onnxruntime_c_api.h"

static const OrtApi* g_api;

typedef struct { int op; } FaultKernel;

static void* ORT_API_CALL CreateAbortKernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info) {
  (void)op; (void)api; (void)info;
  FaultKernel* k = malloc(sizeof(FaultKernel));
  if (k) k->op = 0;
  return k;
}

static void* ORT_API_CALL CreateSleepKernel(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info) {
  (void)op; (void)api; (void)info;
  FaultKernel* k = malloc(sizeof(FaultKernel));
  if (k) k->op = 1;
  return k;
}

static void ORT_API_CALL Compute(void* kernel, OrtKernelContext* context) {
  (void)context;
  if (((FaultKernel*)kernel)->op == 0) {
    abort();
  }
  for (;;) {
    pause();
  }
}

static void ORT_API_CALL Destroy(void* kernel) { free(kernel); }
static const char* ORT_API_CALL AbortName(const OrtCustomOp* op) { (void)op; return "Abort"; }
static const char* ORT_API_CALL SleepName(const OrtCustomOp* op) { (void)op; return "Sleep"; }
static const char* ORT_API_CALL Provider(const OrtCustomOp* op) { (void)op; return NULL; }
static ONNXTensorElementDataType ORT_API_CALL FloatType(const OrtCustomOp* op, size_t i) { (void)op; (void)i; return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }
static size_t ORT_API_CALL One(const OrtCustomOp* op) { (void)op; return 1; }
static OrtCustomOpInputOutputCharacteristic ORT_API_CALL Required(const OrtCustomOp* op, size_t i) { (void)op; (void)i; return INPUT_OUTPUT_REQUIRED; }
static OrtMemType ORT_API_CALL DefaultMemory(const OrtCustomOp* op, size_t i) { (void)op; (void)i; return OrtMemTypeDefault; }
static int ORT_API_CALL Arity(const OrtCustomOp* op) { (void)op; return 1; }
static int ORT_API_CALL Homogeneous(const OrtCustomOp* op) { (void)op; return 1; }
static int ORT_API_CALL StartVersion(const OrtCustomOp* op) { (void)op; return 1; }
static int ORT_API_CALL EndVersion(const OrtCustomOp* op) { (void)op; return INT_MAX; }
static size_t ORT_API_CALL NoPairs(int** in, int** out) { *in = NULL; *out = NULL; return 0; }
static void ORT_API_CALL ReleasePairs(int* in, int* out) { (void)in; (void)out; }

static void Fill(OrtCustomOp* op, const char*(ORT_API_CALL* name)(const OrtCustomOp*),
                 void*(ORT_API_CALL* create)(const OrtCustomOp*, const OrtApi*, const OrtKernelInfo*)) {
  op->version = ORT_API_VERSION;
  op->CreateKernel = create;
  op->GetName = name;
  op->GetExecutionProviderType = Provider;
  op->GetInputType = FloatType;
  op->GetInputTypeCount = One;
  op->GetOutputType = FloatType;
  op->GetOutputTypeCount = One;
  op->KernelCompute = Compute;
  op->KernelDestroy = Destroy;
  op->GetInputCharacteristic = Required;
  op->GetOutputCharacteristic = Required;
  op->GetInputMemoryType = DefaultMemory;
  op->GetVariadicInputMinArity = Arity;
  op->GetVariadicInputHomogeneity = Homogeneous;
  op->GetVariadicOutputMinArity = Arity;
  op->GetVariadicOutputHomogeneity = Homogeneous;
  op->CreateKernelV2 = NULL;
  op->KernelComputeV2 = NULL;
  op->InferOutputShapeFn = NULL;
  op->GetStartVersion = StartVersion;
  op->GetEndVersion = EndVersion;
  op->GetMayInplace = NoPairs;
  op->ReleaseMayInplace = ReleasePairs;
  op->GetAliasMap = NoPairs;
  op->ReleaseAliasMap = ReleasePairs;
}

static OrtCustomOp g_abort;
static OrtCustomOp g_sleep;

__attribute__((visibility("default")))
OrtStatus* ORT_API_CALL RegisterCustomOps(OrtSessionOptions* options, const OrtApiBase* api_base) {
  g_api = api_base->GetApi(ORT_API_VERSION);
  if (g_api == NULL) {
    return NULL; /* cannot even report: ORT older than these headers */
  }
  Fill(&g_abort, AbortName, CreateAbortKernel);
  Fill(&g_sleep, SleepName, CreateSleepKernel);
  OrtCustomOpDomain* domain = NULL;
  OrtStatus* status = g_api->CreateCustomOpDomain("pg.test", &domain);
  if (status) return status;
  if ((status = g_api->CustomOpDomain_Add(domain, &g_abort))) return status;
  if ((status = g_api->CustomOpDomain_Add(domain, &g_sleep))) return status;
  /* The domain must outlive every session using it; it is left to the process, as ORT's own examples do. */
  return g_api->AddCustomOpDomain(options, domain);
}
