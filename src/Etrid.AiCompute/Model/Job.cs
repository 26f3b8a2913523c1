namespace Etrid.AiCompute.Model;

/// <summary>The fields of a <c>JobMarketplace.Jobs</c> value the figures need; times are pallet seconds (block × 6).</summary>
public readonly record struct Job(ulong Id, JobStatus Status, UInt128 Payment, ulong? AssignedGpu, ulong SubmittedAt, ulong? CompletedAt);
