using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.Follower;

/// <summary>What one block changed, as read by <see cref="BlockProcessor"/>: its events, the touched jobs and GPUs (null: absent) and <c>PendingJobs</c>.</summary>
internal sealed record BlockChanges(
    IReadOnlyList<ChainEvent> Events,
    IReadOnlyList<(ulong Id, Job? Job)> Jobs,
    IReadOnlyList<(ulong Id, GpuNode? Gpu)> Gpus,
    IReadOnlyList<ulong> PendingList);
