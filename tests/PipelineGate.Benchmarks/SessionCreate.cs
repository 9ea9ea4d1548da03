using System.Diagnostics;
using System.Globalization;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Sessions from a model path with and without the stored path check (ModelPathCheck): each round times
/// <c>sessions</c> sequential InferenceSession.Create(path) + Dispose on MiniLM (87 MB) twice, interleaved in
/// alternating order: "check every time" forgets the stored pass before every Create (what every Create did before
/// the cache), "stored pass" forgets it once before the first. Prints per-round times and medians with the range.
/// Usage: session-create [rounds=7] [sessions=3].
/// </summary>
internal static class SessionCreate
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var sessions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var path = RealEncoder.MiniLmModel;
        Time(path, sessions, everyTime: true); // warm-up: file in the page cache, ORT loaded
        var every = new List<double>();
        var stored = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var everyTime in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                (everyTime ? every : stored).Add(Time(path, sessions, everyTime));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}: check every time {every[^1]:0.0} ms, stored pass {stored[^1]:0.0} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} sequential Create(path) on {Path.GetFileName(path)}, {rounds} rounds: check every time median {Median(every):0.0} ms [{every.Min():0.0} … {every.Max():0.0}], stored pass median {Median(stored):0.0} ms [{stored.Min():0.0} … {stored.Max():0.0}], saved {Median(every) - Median(stored):0.0} ms"));
        return 0;
    }

    private static double Time(string path, int sessions, bool everyTime)
    {
        ModelPathCheck.Clear();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < sessions; i++)
        {
            if (everyTime)
            {
                ModelPathCheck.Clear();
            }

            using var session = InferenceSession.Create(path);
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
