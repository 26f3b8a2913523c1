namespace Etrid.DevChain.Runtime;

/// <summary>A job as the JobMarketplace pallet stores it (mutable: the workload advances it block by block).</summary>
public sealed class JobRecord
{
    public required ulong Id { get; init; }

    public required byte[] Submitter { get; init; }

    public ulong ModelId { get; init; }

    public byte ModelType { get; init; }

    public byte[] InputHash { get; init; } = new byte[32];

    public byte[] OutputFormat { get; init; } = "json"u8.ToArray();

    public uint MaxComputeTime { get; init; } = 600;

    public UInt128 Payment { get; init; }

    public byte Priority { get; init; } = 1;

    public DevJobStatus Status { get; set; }

    public ulong? AssignedGpu { get; set; }

    public byte[]? ResultHash { get; set; }

    public ulong SubmittedAt { get; init; }

    public ulong? CompletedAt { get; set; }

    /// <summary>The field the runtime upgrade appends (layout 2): pallet time of assignment.</summary>
    public ulong? AssignedAt { get; set; }
}
