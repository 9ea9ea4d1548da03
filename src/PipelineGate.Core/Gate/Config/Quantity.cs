namespace PipelineGate.Gate.Config;

/// <summary>A number with its unit, converted to the dimension's base unit; <see cref="Text"/> is what the user wrote.</summary>
public readonly record struct Quantity(double Value, UnitDimension Dimension, string Text)
{
    public override string ToString() => Text;
}
