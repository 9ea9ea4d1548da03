using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Publish;

/// <summary>
/// Reads a stored A/B comparison back field by field: <see cref="ABResult"/> is built only by the
/// statistics code (internal constructor), so the stored values are handed to that constructor as they are.
/// </summary>
internal sealed class StoredComparisonConverter : JsonConverter<ABResult>
{
    public override ABResult? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var s = JsonSerializer.Deserialize<Stored>(ref reader, ResultsFile.WriteOptions);
        if (s is null)
        {
            return null;
        }

        return new ABResult(s.Options ?? ABOptions.Default, s.BaselineCount, s.CandidateCount, s.BaselineMedian, s.CandidateMedian,
            s.MedianRatio, s.MedianRatioInterval, s.MedianRatioOneSigmaInterval, s.P90Ratio, s.P90RatioInterval,
            s.PValueSlower, s.PValueFaster, s.HodgesLehmannShift, s.Verdict, s.InNoiseBand)
        {
            Method = s.Method,
            Pairs = s.Pairs,
            RatioOfMedians = s.RatioOfMedians,
            Extensions = s.Extensions,
        };
    }

    public override void Write(Utf8JsonWriter writer, ABResult value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, ResultsFile.WriteOptions);

    private sealed record Stored(
        ABOptions? Options,
        int BaselineCount,
        int CandidateCount,
        double BaselineMedian,
        double CandidateMedian,
        double MedianRatio,
        ConfidenceInterval MedianRatioInterval,
        ConfidenceInterval MedianRatioOneSigmaInterval,
        double P90Ratio,
        ConfidenceInterval P90RatioInterval,
        double PValueSlower,
        double PValueFaster,
        double HodgesLehmannShift,
        Verdict Verdict,
        bool InNoiseBand,
        ComparisonMethod Method,
        int Pairs,
        double RatioOfMedians,
        int Extensions);
}
