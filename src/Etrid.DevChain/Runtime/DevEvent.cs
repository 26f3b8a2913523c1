namespace Etrid.DevChain.Runtime;

/// <summary>
/// One event record of a block: the extrinsic it belongs to (null for Finalization), the pallet and
/// variant indices and the SCALE-encoded variant fields.
/// </summary>
public sealed record DevEvent(uint? Extrinsic, byte Pallet, byte Variant, byte[] Fields)
{
    /// <summary>Readable name, for tests and logs.</summary>
    public string Name => (Pallet, Variant) switch
    {
        (AiComputeRuntime.SystemIndex, 0) => "System.ExtrinsicSuccess",
        (AiComputeRuntime.SystemIndex, 2) => "System.CodeUpdated",
        (AiComputeRuntime.JobMarketplaceIndex, var v) => "JobMarketplace." + JobEventNames[v],
        (AiComputeRuntime.GpuRegistryIndex, var v) => "GpuRegistry." + GpuEventNames[v],
        _ => $"{Pallet}.{Variant}",
    };

    private static readonly string[] JobEventNames =
        ["JobSubmitted", "JobAssigned", "JobCompleted", "JobFailed", "PaymentReleased", "JobDisputed", "JobCancelled"];

    private static readonly string[] GpuEventNames =
        ["GpuRegistered", "GpuUnregistered", "GpuStatusUpdated", "AvailabilityUpdated", "ProviderSlashed", "ReputationUpdated"];
}
