using System.Globalization;
using System.Text;
using PipelineGate.TestAssets;
using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Runtime.Tests.Conformance;

/// <summary>
/// The ONNX backend node tests (Debian libonnx-testdata 1.12.0-2) through our reader, writer and
/// binding. Every case not listed in expected-failures.tsv must pass; every listed "fail" must still
/// fail (so the list cannot rot); the pass count must stay at or above the floor.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private const int MinimumPasses = 850;

    [Fact]
    public void Node_tests_pass_through_reader_writer_and_binding()
    {
        var expected = ExpectedOutcomes.Load(Path.Combine(AppContext.BaseDirectory, "Conformance", "expected-failures.tsv"));
        var outcomes = OnnxTestData.Cases("node").Select(ConformanceRunner.Run).ToArray();

        var report = new StringBuilder();
        var problems = new List<string>();
        foreach (var o in outcomes)
        {
            report.Append(CultureInfo.InvariantCulture, $"{o.Name}\t{o.Kind}\t{o.Detail}\n");
            expected.TryGetValue(o.Name, out var listed);
            if (listed is { DependsOnEnvironment: true })
            {
                continue;
            }

            switch (o.Kind)
            {
                case OutcomeKind.Pass when listed is not null:
                    problems.Add($"{o.Name} now passes but is listed as {listed.Kind} ({listed.Reason}): remove it from expected-failures.tsv");
                    break;
                case OutcomeKind.Fail or OutcomeKind.Skip when listed is null:
                    problems.Add($"{o.Name}: unexpected {o.Kind}: {o.Detail}");
                    break;
                case OutcomeKind.Fail or OutcomeKind.Skip when listed!.Kind != o.Kind:
                    problems.Add($"{o.Name}: {o.Kind} but listed as {listed.Kind}: {o.Detail}");
                    break;
                default:
                    break;
            }
        }

        var passed = outcomes.Count(static o => o.Kind == OutcomeKind.Pass);
        var failed = outcomes.Count(static o => o.Kind == OutcomeKind.Fail);
        var skipped = outcomes.Count(static o => o.Kind == OutcomeKind.Skip);
        var summary = $"ONNX node conformance: {passed} passed, {failed} failed, {skipped} skipped, of {outcomes.Length} cases ({problems.Count} unexpected)";
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "conformance-report.tsv"), report.ToString());
        output.WriteLine(summary);
        output.WriteLine(string.Join(Environment.NewLine, problems));
        Console.WriteLine(summary);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.True(passed >= MinimumPasses, $"{passed} passes, below the floor of {MinimumPasses}.");
    }
}
