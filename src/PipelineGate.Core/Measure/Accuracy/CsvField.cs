namespace PipelineGate.Measure.Accuracy;

/// <summary>One CSV cell with the 1-based line and column where it starts.</summary>
internal readonly record struct CsvField(string Text, int Line, int Column, bool Quoted);
