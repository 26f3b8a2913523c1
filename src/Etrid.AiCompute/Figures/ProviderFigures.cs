namespace Etrid.AiCompute.Figures;

/// <summary>One provider's figures; <see cref="Address"/> is its SS58 address.</summary>
public sealed record ProviderFigures(string Address, int RegisteredGpus, int ActiveGpus, int BusyGpus, double UtilizationPercent, long JobsCompleted, double EarningsEdsc);
