using PipelineGate.Onnx.Facts;
using Xunit;

namespace PipelineGate.Tests.Gate.Signature;

public sealed class SignatureDiffTests
{
    private static ValueFact V(string name, string type, params string[] dims) => new(name, type, dims);

    private static ModelSignature S(ValueFact[] inputs, params ValueFact[] outputs) => new(inputs, outputs);

    private static readonly ModelSignature Base = S([V("x", "float32", "N", "3", "48", "W")], V("y", "float32", "N", "10"));

    [Fact]
    public void A_dtype_and_dim_change_reads_as_one_exact_line()
    {
        var after = S([V("x", "float16", "N", "3", "32", "W")], V("y", "float32", "N", "10"));
        var change = Assert.Single(SignatureDiff.Compare(Base, after));
        Assert.Equal("input 'x': float32 [N,3,48,W] → float16 [N,3,32,W] (dim 2: 48 → 32)", change.Text);
        Assert.Equal([SignatureChangeKind.ElementType, SignatureChangeKind.Dimension], change.Kinds);
    }

    [Fact]
    public void A_rename_at_the_same_position_is_a_rename_not_a_removal_and_an_addition()
    {
        var after = S([V("pixels", "float32", "N", "3", "48", "W")], V("y", "float32", "N", "10"));
        var change = Assert.Single(SignatureDiff.Compare(Base, after));
        Assert.Equal("input 'x' → 'pixels': float32 [N,3,48,W]", change.Text);
        Assert.Equal([SignatureChangeKind.Renamed], change.Kinds);
    }

    [Fact]
    public void A_rank_change_names_both_ranks()
    {
        var after = S([V("x", "float32", "N", "3", "48", "W")], V("y", "float32", "10"));
        var change = Assert.Single(SignatureDiff.Compare(Base, after));
        Assert.Equal("output 'y': float32 [N,10] → float32 [10] (rank 2 → 1)", change.Text);
        Assert.Equal([SignatureChangeKind.Rank], change.Kinds);
    }

    [Fact]
    public void Fixed_to_symbolic_and_a_renamed_symbol_are_dimension_changes()
    {
        var after = S([V("x", "float32", "batch", "3", "H", "W")], V("y", "float32", "N", "10"));
        var change = Assert.Single(SignatureDiff.Compare(Base, after));
        Assert.Equal("input 'x': float32 [N,3,48,W] → float32 [batch,3,H,W] (dim 0: N → batch; dim 2: fixed 48 → symbolic H)", change.Text);
        Assert.Equal([SignatureChangeKind.Dimension], change.Kinds);
    }

    [Fact]
    public void New_and_removed_inputs_and_outputs_are_listed_each()
    {
        var after = S([V("x", "float32", "N", "3", "48", "W"), V("mask", "bool", "N", "W")], V("logits", "float32", "N", "10"), V("y2", "int64", "N"));
        var changes = SignatureDiff.Compare(Base, after);
        Assert.Equal(
        [
            "input 'mask' added: bool [N,W]",
            "output 'y' → 'logits': float32 [N,10]",
            "output 'y2' added: int64 [N]",
        ], changes.Select(static c => c.Text));

        var removed = SignatureDiff.Compare(after, Base);
        Assert.Contains(removed, static c => c.Text == "input 'mask' removed (was bool [N,W])" && c.Kinds[0] == SignatureChangeKind.Removed);
        Assert.Contains(removed, static c => c.Text == "output 'y2' removed (was int64 [N])");
    }

    [Fact]
    public void Identical_signatures_have_no_changes_and_the_same_hash()
    {
        var copy = S([V("x", "float32", "N", "3", "48", "W")], V("y", "float32", "N", "10"));
        Assert.Empty(SignatureDiff.Compare(Base, copy));
        Assert.Equal(Base.Hash, copy.Hash);
        Assert.Matches("^[0-9a-f]{12}$", Base.Hash);
        Assert.NotEqual(Base.Hash, S([V("x", "float16", "N", "3", "48", "W")], V("y", "float32", "N", "10")).Hash);
    }
}
