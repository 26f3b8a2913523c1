namespace Etrid.Burst.Capacity;

/// <summary>Local GPU capacity for one tick: how many GPUs, whether it can grow no further, and where it was read.</summary>
public sealed record LocalCapacity(long Gpus, bool Exhausted, string Source);
