// Times session.run of onnxruntime-node on a model, for comparison with PipelineGate's binding.
// usage: node ort-node-bench.js <onnxruntime-node dir> <model.onnx> <input name> <dims json> <runs>
// Prints the median and the individual timings' count. Same input values as the C# side (see VsNode.cs).
const [ortDir, model, inputName, dimsJson, runsText] = process.argv.slice(2);
const ort = require(ortDir);

(async () => {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const dims = JSON.parse(dimsJson);
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = (i % 1000) / 1000;
  const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
  for (let i = 0; i < 20; i++) await session.run(feeds);
  const runs = parseInt(runsText, 10);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ medianMs: times[Math.floor(times.length / 2)], runs }));
})().catch((e) => { console.error(e); process.exit(1); });
