namespace Etrid.AiCompute.Telemetry;

/// <summary>One series of a chain figure: the value of its one label besides <c>pbc</c> (null when it has none) and its value.</summary>
public readonly record struct FigureSample(string? Label, double Value);
