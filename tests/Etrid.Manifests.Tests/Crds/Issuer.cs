using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests.Crds;

/// <summary>cert-manager's <c>cert-manager.io/v1</c> Issuer: self-signed or CA.</summary>
public sealed class Issuer : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public IssuerSpec Spec { get; set; } = new();

    public sealed class IssuerSpec
    {
        public Dictionary<string, object>? SelfSigned { get; set; }

        public CaSpec? Ca { get; set; }
    }

    public sealed class CaSpec
    {
        public string SecretName { get; set; } = "";
    }
}
