namespace Etrid.Kubernetes;

/// <summary>
/// One call to the Kubernetes API bounded by its part's own limit, on the part's clock: the shared client has no short
/// timeout (the ConfigMap watch is a long call), so each caller says how long its call may take.
/// </summary>
public static class KubernetesCall
{
    /// <summary>
    /// Runs <paramref name="call"/> with a token that ends after <paramref name="limit"/> on <paramref name="time"/> (or
    /// with <paramref name="cancellationToken"/>); a call the limit ended throws <see cref="TimeoutException"/>.
    /// </summary>
    /// <param name="what">The call, for the message (<c>TokenReview</c>).</param>
    /// <param name="limit">The part's bound on this call.</param>
    /// <param name="time">The part's clock (tests advance it).</param>
    /// <param name="call">The call, given the bounded token.</param>
    /// <param name="cancellationToken">The caller's own token; its cancellation is passed on as it is.</param>
    /// <exception cref="TimeoutException">No answer within <paramref name="limit"/>.</exception>
    public static async Task<T> WithinAsync<T>(string what, TimeSpan limit, TimeProvider time, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(call);
        using var deadline = new CancellationTokenSource(limit, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Kubernetes API: {what} had no answer within {limit.TotalSeconds:0.###} s", e);
        }
    }
}
