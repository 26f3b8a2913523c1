using Etrid.Manifests.Tests.Rendering;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Etrid.Manifests.Tests;

/// <summary>The exporter's configuration file and how the Deployment hands it over.</summary>
public sealed class ConfigurationTests
{
    public static TheoryData<string> Variants => [.. Variant.All.Select(v => v.Name)];

    [Fact]
    public void The_config_file_has_the_agreed_keys_and_values()
    {
        var config = Load(RenderedManifests.Of(Variant.Base));

        Assert.Equal("ai-compute", Scalar(config, "pbc"));
        var endpoints = (YamlSequenceNode)Node(config, "chain", "endpoints");
        Assert.NotEmpty(endpoints.Children);
        Assert.All(endpoints.Children, e => Assert.StartsWith("wss://", ((YamlScalarNode)e).Value, StringComparison.Ordinal));
        Assert.Equal("finalized", Scalar(config, "chain", "finality"));
        Assert.Equal("60s", Scalar(config, "chain", "staleness_limit"));
        Assert.Equal("http://0.0.0.0:9090", Scalar(config, "listen", "metrics"));
        Assert.Equal("true", Scalar(config, "external_metrics", "enabled"));
        Assert.Equal("https://0.0.0.0:6443", Scalar(config, "external_metrics", "listen"));
        Assert.Equal("/var/run/serving-cert/tls.crt", Scalar(config, "external_metrics", "tls", "cert_file"));
        Assert.Equal("/var/run/serving-cert/tls.key", Scalar(config, "external_metrics", "tls", "key_file"));
        Assert.Equal("true", Scalar(config, "keda_scaler", "enabled"));
        Assert.Equal("http://0.0.0.0:6000", Scalar(config, "keda_scaler", "listen"));

        // The burst controller ships off, reading the HPA the hpa overlay makes.
        Assert.Equal("false", Scalar(config, "mithril_auto", "enabled"));
        Assert.Equal("etrid-ai-gpu-scaler", Scalar(config, "mithril_auto", "hpa", "name"));

        // Unknown keys are start-up errors in the exporter: only these sections.
        Assert.Equal(
            ["chain", "external_metrics", "keda_scaler", "listen", "mithril_auto", "pbc"],
            config.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Listen_ports_in_the_config_are_the_container_ports(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var config = Load(rendered);
        var ports = WiringTests.Exporter(rendered).Ports.ToDictionary(p => p.Name, p => p.ContainerPort);

        Assert.Equal(ports["metrics"], new Uri(Scalar(config, "listen", "metrics")).Port);
        Assert.Equal(ports["https"], new Uri(Scalar(config, "external_metrics", "listen")).Port);
        Assert.Equal(ports["grpc"], new Uri(Scalar(config, "keda_scaler", "listen")).Port);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Etrid_config_names_the_mounted_file_and_the_certificate_lies_in_the_certificate_mount(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var deployment = rendered.Get<V1Deployment>("etrid-exporter");
        var container = WiringTests.Exporter(rendered);
        var configMap = rendered.GeneratedConfigMap("etrid-exporter-config");

        var path = Assert.Single(container.Env, e => e.Name == "ETRID_CONFIG").Value;
        Assert.Equal("/etc/etrid/exporter.yaml", path);
        var mount = Assert.Single(container.VolumeMounts, m => path.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        Assert.Equal(configMap.Metadata.Name, volume.ConfigMap.Name);
        Assert.Contains(Path.GetFileName(path), configMap.Data.Keys);

        var certFile = Scalar(Load(rendered), "external_metrics", "tls", "cert_file");
        var certMount = Assert.Single(container.VolumeMounts, m => certFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var certVolume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == certMount.Name);
        Assert.Equal("etrid-external-metrics-tls", certVolume.Secret.SecretName);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Secrets_reach_the_exporter_as_environment_from_the_placeholder_secret(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var container = WiringTests.Exporter(rendered);
        var from = Assert.Single(container.EnvFrom);
        var secret = rendered.Get<V1Secret>(from.SecretRef.Name);

        // Placeholders only: no value is committed.
        Assert.NotEmpty(secret.StringData);
        Assert.All(secret.StringData.Values, v => Assert.Equal("", v));
        Assert.Null(secret.Data);
    }

    private static YamlMappingNode Load(RenderedManifests rendered)
    {
        var text = rendered.GeneratedConfigMap("etrid-exporter-config").Data["exporter.yaml"];
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var next), $"no key {string.Join(".", path)}");
            node = next!;
        }

        return node;
    }

    private static string Scalar(YamlMappingNode root, params string[] path) =>
        Assert.IsType<YamlScalarNode>(Node(root, path)).Value ?? "";
}
