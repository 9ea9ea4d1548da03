using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Runtime.Tests.Binding;

/// <summary>Every element type goes in and comes out of ONNX Runtime unchanged (Identity model).</summary>
public sealed class TensorRoundTripTests
{
    public static TheoryData<TensorElementType> NumericTypes() =>
    [
        TensorElementType.Float, TensorElementType.Double, TensorElementType.Float16, TensorElementType.BFloat16,
        TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Int16, TensorElementType.UInt16,
        TensorElementType.Int32, TensorElementType.UInt32, TensorElementType.Int64, TensorElementType.UInt64,
        TensorElementType.Bool,
    ];

    [Theory]
    [MemberData(nameof(NumericTypes))]
    public void Identity_returns_the_same_bytes(TensorElementType type)
    {
        using var session = InferenceSession.Create(TinyModels.Identity(type, "2", "3"), $"identity-{type}");
        var input = RandomTensors.Create(type, [2, 3], new Random(7));

        var output = session.Run(new Dictionary<string, TensorData> { ["x"] = input })["y"];

        Assert.Equal(type, output.ElementType);
        Assert.Equal([2L, 3L], output.Shape);
        Assert.Equal(input.Bytes, output.Bytes);
    }

    [Fact]
    public void Float16_values_are_System_Half()
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.Float16, "3"), "identity-f16");
        Half[] values = [(Half)1.5, (Half)(-2.25), Half.MaxValue];

        var output = session.Run(new Dictionary<string, TensorData> { ["x"] = TensorData.Create(values, 3) })["y"];

        Assert.Equal(values, output.AsSpan<Half>().ToArray());
    }

    [Fact]
    public void Strings_round_trip_including_unicode_and_empty()
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.String, "4"), "identity-str");
        string[] values = ["a", "", "héllo wörld", "日本語"];

        var output = session.Run(new Dictionary<string, TensorData> { ["x"] = TensorData.FromStrings(values, [4]) })["y"];

        Assert.Equal(values, output.Strings);
    }

    [Fact]
    public void Empty_tensor_runs()
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.Float, "n"), "identity-empty");

        var output = session.Run(new Dictionary<string, TensorData> { ["x"] = TensorData.Create(Array.Empty<float>(), 0) })["y"];

        Assert.Equal([0L], output.Shape);
    }
}
