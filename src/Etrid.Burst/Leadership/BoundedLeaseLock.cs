using Etrid.Kubernetes;
using k8s.LeaderElection;

namespace Etrid.Burst.Leadership;

/// <summary>
/// A Lease lock whose every call to the API (read, create, update) is bounded by the controller's per-call limit: the
/// shared client has no short timeout, and the elector's acquire loop would otherwise wait on a silent API server.
/// </summary>
/// <param name="inner">The lock (KubernetesClient's <c>LeaseLock</c>).</param>
/// <param name="callTimeout">Longest wait for one call.</param>
/// <param name="time">The clock of the bound.</param>
internal sealed class BoundedLeaseLock(ILock inner, TimeSpan callTimeout, TimeProvider time) : ILock
{
    /// <inheritdoc />
    public string Identity => inner.Identity;

    /// <inheritdoc />
    public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default) =>
        KubernetesCall.WithinAsync("read Lease " + inner.Describe(), callTimeout, time, inner.GetAsync, cancellationToken);

    /// <inheritdoc />
    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        KubernetesCall.WithinAsync("create Lease " + inner.Describe(), callTimeout, time, ct => inner.CreateAsync(record, ct), cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        KubernetesCall.WithinAsync("update Lease " + inner.Describe(), callTimeout, time, ct => inner.UpdateAsync(record, ct), cancellationToken);

    /// <inheritdoc />
    public string Describe() => inner.Describe();
}
