using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Etrid.Burst.Startup;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;
using Etrid.Mithril.Pricing;
using Etrid.Mithril.Startup;
using MarketBidStatus = Etrid.Burst.Market.BidStatus;
using MithrilBidStatus = Etrid.Mithril.Models.BidStatus;

namespace Etrid.Mithril.Market;

/// <summary>
/// Mithril's spot marketplace (API v2) as the burst controller's market: bids in the configured project and
/// region, limits as the API's dollar strings per instance-hour, pause and resume by <c>PATCH</c>. Every API
/// failure reaches the controller as a <see cref="CapacityMarketException"/> with the client's message.
/// </summary>
public sealed class MithrilCapacityMarket : ICapacityMarket
{
    private static readonly MarketCapabilities Pausable = new() { SupportsPause = true };

    private readonly MithrilAutoOptions _options;
    private readonly IMithrilApi _api;

    /// <summary>A market for the <c>mithril_auto</c> section over this client.</summary>
    public MithrilCapacityMarket(MithrilAutoOptions options, IMithrilApi api)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(api);
        _options = options;
        _api = api;
        Placement = new MarketPlacement { Account = options.ProjectId, Region = options.Region, AccessKeys = options.SshKeyIds };
    }

    /// <inheritdoc />
    public MarketCapabilities Capabilities => Pausable;

    /// <inheritdoc />
    public MarketPlacement Placement { get; }

    /// <inheritdoc />
    public Task<StartupReport> CheckAsync(IReadOnlyList<PoolOptions> pools, string path, CancellationToken cancellationToken) =>
        StartupValidator.ValidateAsync(_options with { PoolDetails = pools }, _api, path, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MarketInstanceType>> ListInstanceTypesAsync(CancellationToken cancellationToken) => Call<IReadOnlyList<MarketInstanceType>>(async () =>
        (await _api.ListInstanceTypesAsync(cancellationToken).ConfigureAwait(false)).Select(t => new MarketInstanceType { Id = t.Fid, Name = t.Name, Gpus = t.NumGpus }).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<MarketBid>> ListBidsAsync(string instanceType, CancellationToken cancellationToken) => Call<IReadOnlyList<MarketBid>>(async () =>
        (await _api.ListBidsAsync(new BidQuery { Project = _options.ProjectId, InstanceType = instanceType, Region = _options.Region }, cancellationToken).ConfigureAwait(false))
            .Select(ToMarket).ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<MarketNode>> ListNodesAsync(IReadOnlyCollection<string> bidIds, CancellationToken cancellationToken) => Call<IReadOnlyList<MarketNode>>(async () =>
        bidIds.Count == 0 ? [] : (await _api.ListBidInstancesAsync(_options.ProjectId, bidIds, cancellationToken).ConfigureAwait(false)).Select(ToMarket).ToList());

    /// <inheritdoc />
    public Task<long?> GetSpotPriceCentsAsync(string instanceType, CancellationToken cancellationToken) => Call(async () =>
        (await _api.GetCurrentPricesAsync(instanceType, _options.Region, cancellationToken).ConfigureAwait(false)).UsableSpotPriceCents);

    /// <inheritdoc />
    public Task CreateBidAsync(MarketBidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Call(() => _api.CreateBidAsync(
            new CreateBidRequest
            {
                Project = _options.ProjectId,
                Region = _options.Region,
                InstanceType = request.InstanceType,
                LimitPrice = MithrilPrice.Format(request.LimitCents),
                Name = request.Name,
                LaunchSpecification = new LaunchSpecification { SshKeys = _options.SshKeyIds, StartupScript = request.StartupScript, MemoryGb = request.MemoryGb },
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public Task PauseBidAsync(string bidId, CancellationToken cancellationToken) => Call(() => _api.PauseBidAsync(bidId, cancellationToken));

    /// <inheritdoc />
    public Task ResumeBidAsync(string bidId, CancellationToken cancellationToken) => Call(() => _api.ResumeBidAsync(bidId, cancellationToken));

    /// <inheritdoc />
    public Task<bool> CancelBidAsync(string bidId, CancellationToken cancellationToken) => Call(() => _api.CancelBidAsync(bidId, cancellationToken));

    /// <summary>A listed bid in the controller's terms.</summary>
    public static MarketBid ToMarket(Bid bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new MarketBid { Id = bid.Fid, Name = bid.Name, Status = ToMarket(bid.Status), CreatedAt = bid.CreatedAt, LimitCents = bid.LimitPriceCents };
    }

    /// <summary>A listed instance in the controller's terms.</summary>
    public static MarketNode ToMarket(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new MarketNode { Id = instance.Fid, BidId = instance.Bid, Running = instance.Status == InstanceStatus.Running, CreatedAt = instance.CreatedAt, StatusText = instance.StatusText };
    }

    private static MarketBidStatus ToMarket(MithrilBidStatus status) => status switch
    {
        MithrilBidStatus.Open => MarketBidStatus.Open,
        MithrilBidStatus.Allocated => MarketBidStatus.Allocated,
        MithrilBidStatus.Preempting => MarketBidStatus.Preempting,
        MithrilBidStatus.Terminated => MarketBidStatus.Terminated,
        MithrilBidStatus.Paused => MarketBidStatus.Paused,
        MithrilBidStatus.Relocating => MarketBidStatus.Relocating,
        _ => MarketBidStatus.Unknown,
    };

    // The controller knows markets, not Mithril's exception types: the message (already free of secrets) carries over.
    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (MithrilException e)
        {
            throw new CapacityMarketException(e.Message, e);
        }
    }

    private static async Task Call(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (MithrilException e)
        {
            throw new CapacityMarketException(e.Message, e);
        }
    }
}
