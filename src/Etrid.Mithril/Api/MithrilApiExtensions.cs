using Etrid.Mithril.Models;

namespace Etrid.Mithril.Api;

/// <summary>The calls that are one PATCH or one filtered listing.</summary>
public static class MithrilApiExtensions
{
    /// <summary>Most bid FIDs in one <c>bid_fid_in</c> filter, so the URL stays short.</summary>
    public const int BidFidsPerRequest = 50;

    /// <summary>Pauses a bid (<c>{"paused": true}</c>).</summary>
    public static Task<Bid> PauseBidAsync(this IMithrilApi api, string bidFid, CancellationToken cancellationToken) =>
        api.UpdateBidAsync(bidFid, new UpdateBidRequest { Paused = true }, cancellationToken);

    /// <summary>Resumes a paused bid (<c>{"paused": false}</c>).</summary>
    public static Task<Bid> ResumeBidAsync(this IMithrilApi api, string bidFid, CancellationToken cancellationToken) =>
        api.UpdateBidAsync(bidFid, new UpdateBidRequest { Paused = false }, cancellationToken);

    /// <summary>Changes a bid's limit price, given in cents per instance-hour.</summary>
    public static Task<Bid> SetLimitPriceAsync(this IMithrilApi api, string bidFid, long instanceCents, CancellationToken cancellationToken) =>
        api.UpdateBidAsync(bidFid, new UpdateBidRequest { LimitPrice = Pricing.MithrilPrice.Format(instanceCents) }, cancellationToken);

    /// <summary>The instances of the given bids, in chunks of <see cref="BidFidsPerRequest"/> FIDs.</summary>
    public static async Task<IReadOnlyList<Instance>> ListBidInstancesAsync(this IMithrilApi api, string project, IReadOnlyCollection<string> bidFids, CancellationToken cancellationToken)
    {
        var all = new List<Instance>();
        foreach (var chunk in bidFids.Distinct(StringComparer.Ordinal).Chunk(BidFidsPerRequest))
        {
            all.AddRange(await api.ListInstancesAsync(new InstanceQuery { Project = project, BidFids = chunk }, cancellationToken).ConfigureAwait(false));
        }

        return all;
    }
}
