namespace Etrid.Mithril.Models;

/// <summary><c>LaunchSpecificationModel</c>: what a bid's instances boot with; fixed for the bid's life.</summary>
public sealed record LaunchSpecification
{
    /// <summary>Volume FIDs (<c>vol_…</c>); may be empty.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary>SSH key FIDs (<c>sshkey_…</c>); may be empty.</summary>
    public IReadOnlyList<string> SshKeys { get; init; } = [];

    /// <summary>Script run on the instance's first boot (at most 10,000 characters); null to omit.</summary>
    public string? StartupScript { get; init; }

    /// <summary>Kubernetes cluster FID (<c>clust_…</c>); null to omit.</summary>
    public string? KubernetesCluster { get; init; }

    /// <summary>Image version FID (<c>imgver_…</c>); null for the default image.</summary>
    public string? ImageVersion { get; init; }

    /// <summary>Memory in GB where the auction allows adjusting it; null to omit.</summary>
    public int? MemoryGb { get; init; }
}
