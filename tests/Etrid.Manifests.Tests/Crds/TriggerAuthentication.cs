using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests.Crds;

/// <summary>KEDA's <c>keda.sh/v1alpha1</c> TriggerAuthentication, secret references only.</summary>
public sealed class TriggerAuthentication : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public TriggerAuthenticationSpec Spec { get; set; } = new();

    public sealed class TriggerAuthenticationSpec
    {
        public List<SecretTargetReference> SecretTargetRef { get; set; } = [];
    }

    public sealed class SecretTargetReference
    {
        public string Parameter { get; set; } = "";

        public string Name { get; set; } = "";

        public string Key { get; set; } = "";
    }
}
