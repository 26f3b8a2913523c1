using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// What applying one block changed, as needed to take it back when a re-org under <c>finality: best</c> reverts it:
/// the values its jobs had as counted before and the values it set (null: absent), its GPUs' values before, <c>PendingJobs</c> before, and how many
/// assignments it recorded. Kept only for the blocks a re-org can still revert.
/// </summary>
internal sealed record BlockUndo(
    uint Number,
    string Hash,
    IReadOnlyList<(ulong Id, Job? Before, Job? After)> Jobs,
    IReadOnlyList<(ulong Id, GpuNode? Before)> Gpus,
    IReadOnlyList<ulong> PendingBefore,
    int Assignments);
