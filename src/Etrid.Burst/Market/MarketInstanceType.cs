namespace Etrid.Burst.Market;

/// <summary>A machine shape on offer: its id as pools name it and its GPU count.</summary>
public sealed record MarketInstanceType
{
    /// <summary>The id a pool's <c>instance_type</c> names.</summary>
    public required string Id { get; init; }

    /// <summary>A display name (<c>h100.80gb.sxm</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>GPUs per node; per-GPU limits become per-instance limits with it.</summary>
    public int Gpus { get; init; }
}
