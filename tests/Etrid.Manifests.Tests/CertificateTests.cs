using Etrid.Manifests.Tests.Crds;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>The APIService reaches the API's Service, and its CA comes from a placeholder or from cert-manager.</summary>
public sealed class CertificateTests
{
    public static TheoryData<string> HpaVariants => [.. Variant.HpaPath];

    [Theory]
    [MemberData(nameof(HpaVariants))]
    public void The_apiservice_registers_external_metrics_on_the_api_service_port(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var api = rendered.Get<V1APIService>("v1beta1.external.metrics.k8s.io");

        Assert.Equal(("external.metrics.k8s.io", "v1beta1"), (api.Spec.Group, api.Spec.Version));
        Assert.Equal(api.Metadata.Name, $"{api.Spec.Version}.{api.Spec.Group}");
        Assert.Equal((100, 100), (api.Spec.GroupPriorityMinimum, api.Spec.VersionPriority));
        Assert.NotEqual(true, api.Spec.InsecureSkipTLSVerify);

        var service = rendered.Get<V1Service>(api.Spec.Service.Name);
        Assert.Equal(api.Spec.Service.NamespaceProperty, service.Metadata.NamespaceProperty);
        var port = Assert.Single(service.Spec.Ports, p => p.Port == (api.Spec.Service.Port ?? 443));
        Assert.Equal(6443, WiringTests.Exporter(rendered).Ports.Single(p => p.Name == port.TargetPort.Value).ContainerPort);
    }

    [Fact]
    public void Without_cert_manager_the_ca_bundle_is_a_placeholder_that_says_so()
    {
        var api = RenderedManifests.Of(Variant.Hpa).Get<V1APIService>("v1beta1.external.metrics.k8s.io");

        // KubernetesClient decodes the base64; the placeholder decodes to an instruction, not to a PEM.
        var text = System.Text.Encoding.UTF8.GetString(api.Spec.CaBundle);
        Assert.StartsWith("REPLACE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", text, StringComparison.Ordinal);
        Assert.True(api.Metadata.Annotations is null || !api.Metadata.Annotations.ContainsKey("cert-manager.io/inject-ca-from"));
    }

    [Fact]
    public void With_cert_manager_the_ca_is_injected_from_a_certificate_for_the_service_name_into_the_mounted_secret()
    {
        var rendered = RenderedManifests.Of(Variant.HpaAllComponents);
        var api = rendered.Get<V1APIService>("v1beta1.external.metrics.k8s.io");

        // Both a caBundle and the injection would fight; the component removes the placeholder.
        Assert.Null(api.Spec.CaBundle);
        var source = api.Metadata.Annotations["cert-manager.io/inject-ca-from"].Split('/');
        var certificate = rendered.Get<Certificate>(source[1]);
        Assert.Equal(source[0], certificate.Metadata.NamespaceProperty);

        // The name the aggregator dials must be in the certificate.
        var dialled = $"{api.Spec.Service.Name}.{api.Spec.Service.NamespaceProperty}.svc";
        Assert.Contains(dialled, certificate.Spec.DnsNames);
        Assert.Contains("server auth", certificate.Spec.Usages);

        // The certificate lands in the Secret the exporter mounts for its serving certificate.
        var volumes = rendered.Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.Volumes;
        Assert.Contains(volumes, v => v.Secret?.SecretName == certificate.Spec.SecretName);

        // Its issuer is a CA issuer whose CA is itself a certificate of a self-signed issuer.
        var issuer = rendered.Get<Issuer>(certificate.Spec.IssuerRef.Name);
        var ca = Assert.Single(rendered.All<Certificate>(), c => c.Spec.SecretName == issuer.Spec.Ca!.SecretName);
        Assert.True(ca.Spec.IsCa);
        Assert.NotNull(rendered.Get<Issuer>(ca.Spec.IssuerRef.Name).Spec.SelfSigned);
    }
}
