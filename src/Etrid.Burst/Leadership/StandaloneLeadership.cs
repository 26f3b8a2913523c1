namespace Etrid.Burst.Leadership;

/// <summary>No cluster, no lease: the one replica leads.</summary>
public sealed class StandaloneLeadership(string identity) : IBurstLeadership
{
    /// <inheritdoc />
    public bool IsLeading => true;

    /// <inheritdoc />
    public string Identity { get; } = identity;

    /// <inheritdoc />
    public string? LeaderIdentity => Identity;

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
