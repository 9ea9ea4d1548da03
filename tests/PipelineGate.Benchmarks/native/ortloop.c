/* A C caller of ONNX Runtime's Run, driven through the same OrtApi function pointer, session and
 * argument arrays as PipelineGate's C# binding. It declares only the one function type it calls
 * (no ORT header needed), and returns 0 on success or the 1-based iteration that failed. */
#include <stddef.h>

typedef void *(*ort_run_fn)(void *session, const void *run_options,
                            const char *const *input_names, const void *const *inputs, size_t input_count,
                            const char *const *output_names, size_t output_count, void **outputs);
typedef void (*ort_release_status_fn)(void *status);

int pg_run_loop(void *run, void *release_status, void *session,
                const char *const *input_names, const void *const *inputs, size_t input_count,
                const char *const *output_names, size_t output_count, void **outputs, int iterations)
{
    ort_run_fn run_fn = (ort_run_fn)run;
    for (int i = 0; i < iterations; i++) {
        void *status = run_fn(session, NULL, input_names, inputs, input_count, output_names, output_count, outputs);
        if (status != NULL) {
            ((ort_release_status_fn)release_status)(status);
            return i + 1;
        }
    }
    return 0;
}
