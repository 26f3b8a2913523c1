namespace Etrid.Mithril.Models;

/// <summary><c>QuotaModel</c>: one quota of a project (Spot instances per type, storage, …).</summary>
public sealed record Quota
{
    /// <summary>Quota FID.</summary>
    public string Fid { get; init; } = "";

    /// <summary>Project FID.</summary>
    public string Project { get; init; } = "";

    /// <summary>Instance type the quota is for; null for a type-less quota.</summary>
    public string? InstanceType { get; init; }

    /// <summary><c>Spot</c>, <c>Reservations</c>, <c>Storage</c>.</summary>
    public string ProductType { get; init; } = "";

    /// <summary>Quantity allowed.</summary>
    public long TotalQuantity { get; init; }

    /// <summary>Quantity in use.</summary>
    public long UsedQuantity { get; init; }

    /// <summary><c>instances</c> or <c>GB</c>.</summary>
    public string Units { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>True when nothing more can be used.</summary>
    public bool Exhausted => UsedQuantity >= TotalQuantity;
}
