namespace Etrid.Burst.Capacity;

/// <summary><c>local_gpus</c> without a cluster: a fixed capacity, so always exhausted (it cannot grow).</summary>
public sealed class ConfiguredLocalCapacity(long gpus) : ILocalCapacitySource
{
    /// <inheritdoc />
    public Task<LocalCapacity> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new LocalCapacity(gpus, Exhausted: true, "configuration"));
}
