using System.Collections.Frozen;

namespace Etrid.Mithril.Models;

/// <summary>Maps the API's status strings to enums and back; unknown strings map to <c>Unknown</c>.</summary>
public static class StatusNames
{
    private static readonly FrozenDictionary<string, BidStatus> Bids =
        Enum.GetValues<BidStatus>().Where(s => s != BidStatus.Unknown).ToFrozenDictionary(s => s.ToString(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, InstanceStatus> Instances =
        Enum.GetValues<InstanceStatus>().Where(s => s != InstanceStatus.Unknown).ToFrozenDictionary(Format, StringComparer.Ordinal);

    /// <summary>Reads a bid status as the API writes it (<c>Open</c>, <c>Allocated</c>, …).</summary>
    public static BidStatus ParseBid(string? text) =>
        text is not null && Bids.TryGetValue(text, out var status) ? status : BidStatus.Unknown;

    /// <summary>The API's spelling of a bid status.</summary>
    public static string Format(BidStatus status) => status.ToString();

    /// <summary>Reads an instance status (<c>STATUS_RUNNING</c>, …).</summary>
    public static InstanceStatus ParseInstance(string? text) =>
        text is not null && Instances.TryGetValue(text, out var status) ? status : InstanceStatus.Unknown;

    /// <summary>The API's spelling of an instance status (<c>STATUS_RUNNING</c>).</summary>
    public static string Format(InstanceStatus status) => "STATUS_" + status.ToString().ToUpperInvariant();
}
