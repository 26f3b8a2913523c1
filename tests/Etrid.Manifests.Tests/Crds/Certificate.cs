using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Etrid.Manifests.Tests.Crds;

/// <summary>cert-manager's <c>cert-manager.io/v1</c> Certificate, the fields our manifests use.</summary>
public sealed class Certificate : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public CertificateSpec Spec { get; set; } = new();

    public sealed class CertificateSpec
    {
        public string SecretName { get; set; } = "";

        [YamlMember(Alias = "isCA")]
        public bool IsCa { get; set; }

        public string? CommonName { get; set; }

        public string? Duration { get; set; }

        public string? RenewBefore { get; set; }

        public List<string> DnsNames { get; set; } = [];

        public List<string> Usages { get; set; } = [];

        public PrivateKeySpec? PrivateKey { get; set; }

        public IssuerReference IssuerRef { get; set; } = new();
    }

    public sealed class PrivateKeySpec
    {
        public string? Algorithm { get; set; }

        public int? Size { get; set; }

        public string? RotationPolicy { get; set; }
    }

    public sealed class IssuerReference
    {
        public string? Kind { get; set; }

        public string Name { get; set; } = "";
    }
}
