using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>
/// <c>mithril_auto.leader_election</c>: one replica acts, through a Kubernetes Lease (client-go's timing
/// rules: lease duration &gt; renew deadline &gt; retry period). Without a cluster there is no lease and the
/// replica leads alone.
/// </summary>
public sealed partial class BurstLeaderElectionOptions
{
    /// <summary>Elect through the Lease when a cluster is reachable. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>The Lease's name. Default <c>etrid-burst-controller</c>.</summary>
    [ConfigurationKeyName("lease_name")]
    public string LeaseName { get; init; } = "etrid-burst-controller";

    /// <summary>The Lease's namespace; empty = the pod's namespace (<c>POD_NAMESPACE</c>, the service account's, the kubeconfig context's, else <c>default</c>).</summary>
    [ConfigurationKeyName("lease_namespace")]
    public string LeaseNamespace { get; init; } = "";

    /// <summary>This replica's identity; empty = the pod name (<c>HOSTNAME</c>, else the machine name).</summary>
    [ConfigurationKeyName("identity")]
    public string Identity { get; init; } = "";

    /// <summary>How long a lease holds without renewal. Default 15 s.</summary>
    [ConfigurationKeyName("lease_duration")]
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a renewal before it gives up leading. Default 10 s.</summary>
    [ConfigurationKeyName("renew_deadline")]
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait between attempts to acquire or renew. Default 2 s.</summary>
    [ConfigurationKeyName("retry_period")]
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (!DnsName().IsMatch(LeaseName))
        {
            yield return $"{path}.lease_name: must be a DNS subdomain name ({LeaseName})";
        }

        if (LeaseNamespace.Length > 0 && !DnsLabel().IsMatch(LeaseNamespace))
        {
            yield return $"{path}.lease_namespace: must be a DNS label ({LeaseNamespace})";
        }

        if (Identity.Length > 253)
        {
            yield return $"{path}.identity: at most 253 characters ({Identity.Length})";
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            yield return $"{path}.retry_period: must be positive ({RetryPeriod})";
        }

        if (RenewDeadline <= RetryPeriod)
        {
            yield return $"{path}.renew_deadline: must exceed retry_period ({RenewDeadline} <= {RetryPeriod})";
        }

        if (LeaseDuration <= RenewDeadline)
        {
            yield return $"{path}.lease_duration: must exceed renew_deadline ({LeaseDuration} <= {RenewDeadline})";
        }

        if (LeaseDuration > TimeSpan.FromHours(1))
        {
            yield return $"{path}.lease_duration: at most 1h ({LeaseDuration})";
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex DnsName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
