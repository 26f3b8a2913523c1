using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Etrid.Burst.Options;

/// <summary>
/// <c>mithril_auto.hpa</c>: local capacity from the HorizontalPodAutoscaler of the GPU workers (autoscaling/v2
/// status). Local GPUs = current replicas × <c>gpus_per_replica</c>; exhausted at <c>maxReplicas</c> or when
/// <c>ScalingLimited</c> holds above the minimum. Without a cluster, <c>local_gpus</c> applies.
/// </summary>
public sealed partial class BurstHpaOptions
{
    /// <summary>Read the HPA when a cluster is reachable. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>The HPA's name. Default <c>etrid-ai-gpu-scaler</c>.</summary>
    [ConfigurationKeyName("name")]
    public string Name { get; init; } = "etrid-ai-gpu-scaler";

    /// <summary>The HPA's namespace; empty = the pod's namespace (as the Lease's).</summary>
    [ConfigurationKeyName("namespace")]
    public string Namespace { get; init; } = "";

    /// <summary>GPUs one worker replica serves. Default 1.</summary>
    [ConfigurationKeyName("gpus_per_replica")]
    public int GpusPerReplica { get; init; } = 1;

    /// <summary>Every problem as <c>path.key: what is wrong (value)</c>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (!DnsName().IsMatch(Name))
        {
            yield return $"{path}.name: must be a DNS subdomain name ({Name})";
        }

        if (Namespace.Length > 0 && !DnsLabel().IsMatch(Namespace))
        {
            yield return $"{path}.namespace: must be a DNS label ({Namespace})";
        }

        if (GpusPerReplica is < 1 or > 1024)
        {
            yield return $"{path}.gpus_per_replica: must be between 1 and 1024 ({GpusPerReplica})";
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex DnsName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
