using Etrid.Substrate.Rpc;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// The follower's subscriptions taken as one unit: best heads, the driving heads (finalized, or the
/// best ones again) and runtime versions (optional: some nodes refuse it). If any part fails to open,
/// the parts already open are disposed, so retries never leak subscriptions.
/// </summary>
internal sealed class HeadSubscriptions : IAsyncDisposable
{
    private HeadSubscriptions(RpcSubscription best, RpcSubscription driving, RpcSubscription? versions)
    {
        Best = best;
        Driving = driving;
        Versions = versions;
    }

    public RpcSubscription Best { get; }

    public RpcSubscription Driving { get; }

    /// <summary>Runtime version changes, or null when the node refused the subscription.</summary>
    public RpcSubscription? Versions { get; }

    public static async Task<HeadSubscriptions> OpenAsync(ISubstrateRpc rpc, FinalityMode finality, Action<string> versionsRefused, CancellationToken cancellationToken)
    {
        RpcSubscription? best = null;
        RpcSubscription? driving = null;
        try
        {
            best = await rpc.SubscribeNewHeadsAsync(cancellationToken).ConfigureAwait(false);
            driving = finality == FinalityMode.Finalized ? await rpc.SubscribeFinalizedHeadsAsync(cancellationToken).ConfigureAwait(false) : best;
            RpcSubscription? versions = null;
            try
            {
                versions = await rpc.SubscribeRuntimeVersionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SubstrateRpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                versionsRefused(e.Message);
            }

            return new HeadSubscriptions(best, driving, versions);
        }
        catch
        {
            await DisposeAllAsync(best, driving, null).ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => DisposeAllAsync(Best, Driving, Versions);

    private static async ValueTask DisposeAllAsync(RpcSubscription? best, RpcSubscription? driving, RpcSubscription? versions)
    {
        foreach (var s in new[] { driving, best, versions }.Distinct())
        {
            if (s is not null)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
