using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Publish;

/// <summary>
/// Reads a stored latency back. Its statistics are recomputed from the raw samples (as the baseline
/// reader does, docs/schemas/results-v1.md), never taken from the stored summary, so a reader cannot
/// drift from the numbers the reports were drawn from. A latency stored without samples reads as absent.
/// </summary>
internal sealed class StoredLatencyConverter : JsonConverter<LatencyMeasurement>
{
    public override LatencyMeasurement? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<Stored>(ref reader, ResultsFile.WriteOptions);
        if (stored?.SamplesMs is not { Length: > 0 } samples)
        {
            return null;
        }

        var confidence = stored.Summary?.Confidence is > 0.5 and < 1 ? stored.Summary.Confidence : 0.95;
        return new LatencyMeasurement(SampleSummary.Compute(samples, confidence), stored.WarmupIterations, stored.WarmupSettled, stored.ElapsedSeconds, samples);
    }

    public override void Write(Utf8JsonWriter writer, LatencyMeasurement value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ResultsFile.WriteOptions);

    private sealed record Stored(StoredSummary? Summary, int WarmupIterations, bool WarmupSettled, double ElapsedSeconds, double[]? SamplesMs);

    private sealed record StoredSummary(double Confidence);
}
