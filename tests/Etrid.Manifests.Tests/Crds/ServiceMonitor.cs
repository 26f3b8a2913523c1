using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests.Crds;

/// <summary>The Prometheus operator's <c>monitoring.coreos.com/v1</c> ServiceMonitor, the fields our manifests use.</summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ServiceMonitorSpec Spec { get; set; } = new();

    public sealed class ServiceMonitorSpec
    {
        public V1LabelSelector Selector { get; set; } = new();

        public List<Endpoint> Endpoints { get; set; } = [];
    }

    public sealed class Endpoint
    {
        /// <summary>A Service port name.</summary>
        public string Port { get; set; } = "";

        public string? Path { get; set; }

        public string? Interval { get; set; }

        public string? ScrapeTimeout { get; set; }
    }
}
