namespace Etrid.Bench.Soak;

/// <summary>One fault of the schedule: what, when (from the start of the soak), for how long, on which node (0 first, 1 second), and the lag of a lagging endpoint.</summary>
internal sealed record SoakFault(SoakFaultKind Kind, TimeSpan At, TimeSpan Duration, int Node = 0, int Lag = 0);
