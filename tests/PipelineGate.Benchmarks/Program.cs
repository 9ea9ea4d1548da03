using BenchmarkDotNet.Running;
using PipelineGate.Benchmarks;

// Harnesses that are not BenchmarkDotNet benchmarks (they measure the measurement, or another process):
//   peak-memory <SizeMiB>        load a generated model in this fresh process and report peak RSS / file size
//   measurement-quality [...]    A/A and known-slowdown runs of the A/B engine (see MeasurementQuality.cs)
//   gate-aa [runs] [profile|-] [sin-ops] [keep-folder]   the whole gate on the sample vs an unchanged git baseline (GateAA.cs)
//   vs-node [rounds]             PipelineGate vs onnxruntime-node on the same models (VsNode.cs)
//   overhead [rounds] [runs]     C# vs C caller of Run, interleaved (OverheadInterleaved.cs)
//   quantize-speed [modes]       quantizer weight throughput (QuantizeSpeed.cs)
//   quantize-latency [rounds]    each quantization mode vs fp32, A/B interleaved (QuantizedLatency.cs)
//   qdq-fallback [rounds] [s] [max-drop] [metric] [pixels] [rerank]  static QDQ fallback tiers (and rerank) on the detector, real images (QdqFallback.cs)
//   qdq-rerank [max-drop] [held-out] [metric]  fallback rerank 0/1/2 on the recognizer, held-out top-1 agreement (QdqRerank.cs)
//   prune-encoder [rounds] [s] [n]  MiniLM with FFN neurons / attention heads removed vs fp32: A/B latency, size, MACs, cosine (PruneEncoder.cs)
//   fuzz [onnx] [yaml] [seed]    mutated models and configs through load/validate/inspect/config (FuzzCommand.cs)
//   fuzz [onnx] [yaml] [seed] [check|no-check]  mutated models and configs through load/validate/inspect/config/check (FuzzCommand.cs)
//   fuzz-one seed index out.onnx [check]  writes one ONNX input of fuzz (and runs it step by step, timed) (FuzzOneCommand.cs)
//   gate-aa-isolation cli-dll [pairs] [profile] [sin-ops]  the sample's gate by the CLI, --isolation process/off interleaved (GateAAIsolation.cs)
//   soak [runs] [processes] [cli-dll]  the gate on the sample many times in process and as processes (Soak.cs)
//   prune-figures [rounds] [seconds] [cls,minilm]  pruning/factorization vs the original: sizes, MACs, A/B latency, fidelity (PruneFigures.cs)
//   weight-type [rounds] [seconds]  MiniLM dynamic int8 with uint8 vs int8 weights vs fp32, A/B interleaved (WeightTypeEncoder.cs)
//   spearman-wordnet [pairs] [resamples]  MiniLM fp32 vs dynamic int8: Spearman ρ on WordNet gloss pairs, paired bootstrap (SpearmanWordNet.cs)
//   prune-profile [rounds] [s] [cls,minilm] [multiples] [runs]  ORT per-node profile of pruned variants + A/B latency (PruneProfile.cs)
//   heads-length [rounds] [s] [lengths] [runs] [texts]  MiniLM 4 of 12 heads removed, fp32 and int8, by sequence length (HeadsLength.cs)
//   session-create [rounds] [sessions]  sequential InferenceSession.Create(path) on MiniLM, path check every time vs stored pass, interleaved (SessionCreate.cs)
//   prune-search-encoder [rounds] [s] [budgets]  MiniLM heads/ffn with and without max-drop: chosen blocks, held-out cosine, A/B latency (PruneSearchEncoder.cs)
// Everything else goes to BenchmarkDotNet (e.g. --filter '*RunOverhead*').
return args.FirstOrDefault() switch
{
    "peak-memory" => PeakMemory.Run(args.Skip(1).ToArray()),
    "measurement-quality" => MeasurementQuality.Run(args.Skip(1).ToArray()),
    "gate-aa" => GateAA.Run(args.Skip(1).ToArray()),
    "vs-node" => VsNode.Run(args.Skip(1).ToArray()),
    "overhead" => OverheadInterleaved.Run(args.Skip(1).ToArray()),
    "quantize-speed" => QuantizeSpeed.Run(args.Skip(1).ToArray()),
    "quantize-latency" => QuantizedLatency.Run(args.Skip(1).ToArray()),
    "qdq-fallback" => QdqFallback.Run(args.Skip(1).ToArray()),
    "qdq-rerank" => QdqRerank.Run(args.Skip(1).ToArray()),
    "prune-encoder" => PruneEncoder.Run(args.Skip(1).ToArray()),
    "fuzz" => FuzzCommand.Run(args.Skip(1).ToArray()),
    "fuzz-one" => FuzzOneCommand.Run(args.Skip(1).ToArray()),
    "gate-aa-isolation" => GateAAIsolation.Run(args.Skip(1).ToArray()),
    "soak" => Soak.Run(args.Skip(1).ToArray()),
    "prefuse" => PrefuseEncoder.Run(args.Skip(1).ToArray()),
    "prune-figures" => PruneFigures.Run(args.Skip(1).ToArray()),
    "weight-type" => WeightTypeEncoder.Run(args.Skip(1).ToArray()),
    "spearman-wordnet" => SpearmanWordNet.Run(args.Skip(1).ToArray()),
    "prune-profile" => PruneProfile.Run(args.Skip(1).ToArray()),
    "heads-length" => HeadsLength.Run(args.Skip(1).ToArray()),
    "session-create" => SessionCreate.Run(args.Skip(1).ToArray()),
    "prune-search-encoder" => PruneSearchEncoder.Run(args.Skip(1).ToArray()),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ModelIoBenchmarks).Assembly).Run(args);
    return 0;
}
