namespace Etrid.DevChain.Workloads;

/// <summary>One piece of a <see cref="WorkloadProfile"/>: a mean arrival rate held for a number of blocks.</summary>
/// <param name="JobsPerBlock">Mean job submissions per block during the phase (Poisson).</param>
/// <param name="Blocks">How many blocks the phase lasts (at least 1).</param>
/// <param name="Name">What the phase stands for (<c>quiet</c>, <c>surge</c>), for logs and reports.</param>
public sealed record WorkloadPhase(double JobsPerBlock, int Blocks, string Name = "");
