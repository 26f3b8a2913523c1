namespace Etrid.Burst.Capacity;

/// <summary>Where the controller learns the local GPU capacity (the HPA's status, or configuration).</summary>
public interface ILocalCapacitySource
{
    /// <summary>The capacity now; throws when it cannot be known (the tick then holds).</summary>
    Task<LocalCapacity> ReadAsync(CancellationToken cancellationToken);
}
