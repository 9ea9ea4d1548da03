using PipelineGate.Gate.Config.Parsing;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("treshold", "threshold")]
    [InlineData("min_samples", "min-samples")]
    [InlineData("minSamples", "min-samples")]
    [InlineData("durat", "duration")]
    [InlineData("concurrency-level", "concurrency")]
    [InlineData("DURATION", "duration")]
    public void Suggests_near_misses_and_prefixes(string written, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(written, ConfigKeys.Measure));

    [Theory]
    [InlineData("colour")]
    [InlineData("du")]
    public void Suggests_nothing_for_unrelated_words(string written) =>
        Assert.Null(Suggestions.Closest(written, ConfigKeys.Measure));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ms", "mss", 1)]
    [InlineData("abc", "", 3)]
    public void Distance_is_levenshtein(string a, string b, int expected) => Assert.Equal(expected, Suggestions.Distance(a, b));
}
