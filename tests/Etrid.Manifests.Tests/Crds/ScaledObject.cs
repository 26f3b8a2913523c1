using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests.Crds;

/// <summary>KEDA's <c>keda.sh/v1alpha1</c> ScaledObject: the fields our manifests use (strict loading rejects any other).</summary>
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ScaledObjectSpec Spec { get; set; } = new();

    public sealed class ScaledObjectSpec
    {
        public V2CrossVersionObjectReference ScaleTargetRef { get; set; } = new();

        public int? PollingInterval { get; set; }

        public int? CooldownPeriod { get; set; }

        public int? MinReplicaCount { get; set; }

        public int? MaxReplicaCount { get; set; }

        public FallbackSpec? Fallback { get; set; }

        public AdvancedSpec? Advanced { get; set; }

        public List<Trigger> Triggers { get; set; } = [];
    }

    public sealed class FallbackSpec
    {
        public int FailureThreshold { get; set; }

        public int Replicas { get; set; }

        public string? Behavior { get; set; }
    }

    public sealed class AdvancedSpec
    {
        public HorizontalPodAutoscalerConfigSpec? HorizontalPodAutoscalerConfig { get; set; }
    }

    public sealed class HorizontalPodAutoscalerConfigSpec
    {
        public string? Name { get; set; }

        public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
    }

    public sealed class Trigger
    {
        public string Type { get; set; } = "";

        public string? Name { get; set; }

        public string? MetricType { get; set; }

        public Dictionary<string, string> Metadata { get; set; } = [];

        public AuthenticationReference? AuthenticationRef { get; set; }
    }

    public sealed class AuthenticationReference
    {
        public string Name { get; set; } = "";

        public string? Kind { get; set; }
    }
}
