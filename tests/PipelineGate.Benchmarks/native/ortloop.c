/* A C caller of ONNX Runtime's Run, for comparing the per-call cost of PipelineGate's runtime layer (over
 * the official managed API) with C's. The managed session's native handle is not public, so this file
 * creates its own session of the same model bytes, with the same options (1 intra-op and 1 inter-op
 * thread, sequential, all graph optimizations), and the same input values, through the OrtApi of the very
 * library the .NET process loaded (C# passes its OrtGetApiBase). One float input, one float output,
 * both preallocated: the loop is Run and nothing else. Returns 0, or a negative step / 1-based iteration. */
#include <stddef.h>
#include <stdint.h>
#include <onnxruntime_c_api.h>

static const OrtApi *api;
static OrtEnv *env;
static OrtSession *session;
static OrtValue *input, *output;
static const char *in_name, *out_name;

static int ok(OrtStatus *status) {
    if (status == NULL) return 1;
    api->ReleaseStatus(status);
    return 0;
}

int pg_loop_open(const OrtApiBase *(*get_api_base)(void), const void *model, size_t model_len,
                 float *in_data, const int64_t *in_dims, size_t in_rank, const char *input_name,
                 float *out_data, const int64_t *out_dims, size_t out_rank, const char *output_name)
{
    api = get_api_base()->GetApi(ORT_API_VERSION);
    if (api == NULL) return -1;
    OrtSessionOptions *options = NULL;
    OrtMemoryInfo *memory = NULL;
    if (!ok(api->CreateEnv(ORT_LOGGING_LEVEL_WARNING, "ortloop", &env))) return -2;
    if (!ok(api->CreateSessionOptions(&options))) return -3;
    if (!ok(api->SetIntraOpNumThreads(options, 1)) || !ok(api->SetInterOpNumThreads(options, 1))
        || !ok(api->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL))
        || !ok(api->SetSessionExecutionMode(options, ORT_SEQUENTIAL))) return -4;
    if (!ok(api->CreateSessionFromArray(env, model, model_len, options, &session))) return -5;
    api->ReleaseSessionOptions(options);
    if (!ok(api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memory))) return -6;
    size_t in_count = 1, out_count = 1;
    for (size_t i = 0; i < in_rank; i++) in_count *= (size_t)in_dims[i];
    for (size_t i = 0; i < out_rank; i++) out_count *= (size_t)out_dims[i];
    if (!ok(api->CreateTensorWithDataAsOrtValue(memory, in_data, in_count * sizeof(float), in_dims, in_rank,
                                                ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &input))) return -7;
    if (!ok(api->CreateTensorWithDataAsOrtValue(memory, out_data, out_count * sizeof(float), out_dims, out_rank,
                                                ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &output))) return -8;
    api->ReleaseMemoryInfo(memory);
    in_name = input_name;
    out_name = output_name;
    return 0;
}

int pg_loop_run(int iterations)
{
    const OrtValue *inputs[1] = { input };
    OrtValue *outputs[1] = { output };
    for (int i = 0; i < iterations; i++) {
        OrtStatus *status = api->Run(session, NULL, &in_name, inputs, 1, &out_name, 1, outputs);
        if (status != NULL) {
            api->ReleaseStatus(status);
            return i + 1;
        }
    }
    return 0;
}

void pg_loop_close(void)
{
    api->ReleaseValue(input);
    api->ReleaseValue(output);
    api->ReleaseSession(session);
    api->ReleaseEnv(env);
}
