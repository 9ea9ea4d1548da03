namespace PipelineGate.Onnx.Facts;

/// <summary>What changed about one input or output between two signatures.</summary>
public enum SignatureChangeKind
{
    /// <summary>Same position, different name (and otherwise the same or also changed).</summary>
    Renamed,
    ElementType,
    Rank,
    /// <summary>A fixed dimension changed value, became symbolic or fixed, or a symbolic name changed.</summary>
    Dimension,
    Added,
    Removed,
}

/// <summary>
/// One difference, with the exact text a reviewer reads: <c>input 'x': float32 [N,3,48,W] → float16 [N,3,32,W]</c>.
/// <see cref="Kinds"/> lists every kind it contains (a renamed input can also change its type).
/// </summary>
public sealed record SignatureChange(string Side, string Name, IReadOnlyList<SignatureChangeKind> Kinds, string Text);

/// <summary>
/// Compares two signatures exactly. Values are matched by name; a value whose name is gone and a new
/// value at the same position on the same side are a rename; what remains is added or removed.
/// </summary>
public static class SignatureDiff
{
    public const string Arrow = "→";

    public static IReadOnlyList<SignatureChange> Compare(ModelSignature before, ModelSignature after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return [.. Side("input", before.Inputs, after.Inputs), .. Side("output", before.Outputs, after.Outputs)];
    }

    private static List<SignatureChange> Side(string side, IReadOnlyList<ValueFact> before, IReadOnlyList<ValueFact> after)
    {
        var changes = new List<SignatureChange>();
        var beforeNames = before.Select(static v => v.Name).ToHashSet(StringComparer.Ordinal);
        var removed = new List<(int Index, ValueFact Value)>();
        foreach (var (b, i) in before.Select(static (v, i) => (v, i)))
        {
            if (after.FirstOrDefault(a => a.Name == b.Name) is { } a)
            {
                if (Changed(side, b, a, renamed: false) is { } c)
                {
                    changes.Add(c);
                }
            }
            else
            {
                removed.Add((i, b));
            }
        }

        var added = after.Select(static (v, i) => (Index: i, Value: v)).Where(x => !beforeNames.Contains(x.Value.Name)).ToList();
        foreach (var r in removed.ToArray())
        {
            var match = added.FindIndex(a => a.Index == r.Index);
            if (match < 0)
            {
                continue;
            }

            changes.Add(Changed(side, r.Value, added[match].Value, renamed: true)!);
            added.RemoveAt(match);
            removed.Remove(r);
        }

        changes.AddRange(removed.Select(r => new SignatureChange(side, r.Value.Name, [SignatureChangeKind.Removed], $"{side} '{r.Value.Name}' removed (was {ModelSignature.TypeText(r.Value)})")));
        changes.AddRange(added.Select(a => new SignatureChange(side, a.Value.Name, [SignatureChangeKind.Added], $"{side} '{a.Value.Name}' added: {ModelSignature.TypeText(a.Value)}")));
        return changes;
    }

    private static SignatureChange? Changed(string side, ValueFact before, ValueFact after, bool renamed)
    {
        var kinds = new List<SignatureChangeKind>();
        if (renamed)
        {
            kinds.Add(SignatureChangeKind.Renamed);
        }

        if (before.ElementType != after.ElementType)
        {
            kinds.Add(SignatureChangeKind.ElementType);
        }

        if (before.Shape.Count != after.Shape.Count)
        {
            kinds.Add(SignatureChangeKind.Rank);
        }
        else if (!before.Shape.SequenceEqual(after.Shape, StringComparer.Ordinal))
        {
            kinds.Add(SignatureChangeKind.Dimension);
        }

        if (kinds.Count == 0)
        {
            return null;
        }

        var name = renamed ? $"'{before.Name}' {Arrow} '{after.Name}'" : $"'{before.Name}'";
        var types = ModelSignature.TypeText(before) == ModelSignature.TypeText(after)
            ? $": {ModelSignature.TypeText(after)}"
            : $": {ModelSignature.TypeText(before)} {Arrow} {ModelSignature.TypeText(after)}";
        return new SignatureChange(side, after.Name, kinds, $"{side} {name}{types}{Detail(before, after)}");
    }

    /// <summary>" (dim 2: 48 → 32; dim 3: fixed 64 → symbolic W)", so that a long shape's change is easy to spot.</summary>
    private static string Detail(ValueFact before, ValueFact after)
    {
        if (before.Shape.Count != after.Shape.Count)
        {
            return $" (rank {before.Shape.Count} {Arrow} {after.Shape.Count})";
        }

        var parts = new List<string>();
        for (var i = 0; i < before.Shape.Count; i++)
        {
            var (b, a) = (before.Shape[i], after.Shape[i]);
            if (b == a)
            {
                continue;
            }

            var (bf, af) = (IsFixed(b), IsFixed(a));
            parts.Add(bf == af ? $"dim {i}: {b} {Arrow} {a}" : $"dim {i}: {(bf ? "fixed" : "symbolic")} {b} {Arrow} {(af ? "fixed" : "symbolic")} {a}");
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join("; ", parts)})";
    }

    private static bool IsFixed(string dim) => dim.Length > 0 && dim.All(char.IsAsciiDigit);
}
