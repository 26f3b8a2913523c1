using Etrid.Kubernetes;
using k8s;

namespace Etrid.Burst.Capacity;

/// <summary>
/// Local capacity from the GPU workers' HorizontalPodAutoscaler (autoscaling/v2) through KubernetesClient:
/// GPUs = <c>status.currentReplicas</c> × GPUs per replica; exhausted when <c>currentReplicas ≥ spec.maxReplicas</c>
/// or the <c>ScalingLimited</c> condition is True for any reason but <c>TooFewReplicas</c> (held at the minimum,
/// which is no limit on growth). Each read is bounded by <paramref name="callTimeout"/> on <paramref name="time"/>.
/// </summary>
public sealed class HpaLocalCapacity(IKubernetes client, string @namespace, string name, int gpusPerReplica, TimeSpan callTimeout, TimeProvider time) : ILocalCapacitySource
{
    /// <summary>How the source reads in the status (<c>hpa namespace/name</c>).</summary>
    public string Source { get; } = $"hpa {@namespace}/{name}";

    /// <inheritdoc />
    public async Task<LocalCapacity> ReadAsync(CancellationToken cancellationToken)
    {
        var hpa = await KubernetesCall.WithinAsync(
            "read " + Source,
            callTimeout,
            time,
            ct => client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, @namespace, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        var current = Math.Max(0, hpa.Status?.CurrentReplicas ?? 0);
        var max = hpa.Spec?.MaxReplicas ?? 0;
        var limited = hpa.Status?.Conditions?.Any(c =>
            c.Type == "ScalingLimited" && string.Equals(c.Status, "True", StringComparison.OrdinalIgnoreCase) && c.Reason != "TooFewReplicas") ?? false;
        return new LocalCapacity((long)current * gpusPerReplica, current >= max || limited, Source);
    }
}
