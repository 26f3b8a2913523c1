namespace Etrid.AiCompute.Model;

/// <summary>
/// One event of the two pallets, reduced to what the follower needs: which job or GPU it touches,
/// and for assignments and registrations the extra fields.
/// </summary>
public sealed record ChainEvent(string Pallet, string Name, ulong? JobId, ulong? GpuId, byte[]? Provider);
