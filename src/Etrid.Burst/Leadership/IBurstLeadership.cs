namespace Etrid.Burst.Leadership;

/// <summary>Whether this replica may act: it holds the Lease, or runs standalone.</summary>
public interface IBurstLeadership
{
    /// <summary>True while this replica leads.</summary>
    bool IsLeading { get; }

    /// <summary>This replica's identity.</summary>
    string Identity { get; }

    /// <summary>The leader as last seen, or null when unknown.</summary>
    string? LeaderIdentity { get; }

    /// <summary>Takes part in the election until cancelled (returns at once when standalone).</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
