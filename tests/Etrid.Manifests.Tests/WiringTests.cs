using Etrid.Manifests.Tests.Crds;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>The objects point at each other correctly: selectors, ports by name, probes, mounted names.</summary>
public sealed class WiringTests
{
    public static TheoryData<string> Variants => [.. Variant.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Deployment_selectors_match_their_pod_labels_and_carry_no_version(string variant)
    {
        foreach (var d in RenderedManifests.Of(variant).All<V1Deployment>())
        {
            var selector = d.Spec.Selector.MatchLabels;
            Assert.NotEmpty(selector);
            Assert.True(Matches(selector, d.Spec.Template.Metadata.Labels), $"{d.Metadata.Name}: selector does not match its pod labels");
            Assert.DoesNotContain("app.kubernetes.io/version", selector.Keys);
            Assert.Null(d.Spec.Selector.MatchExpressions);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_service_selects_exactly_the_exporter_pods_and_targets_named_container_ports(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var deployments = rendered.All<V1Deployment>().ToList();

        foreach (var service in rendered.All<V1Service>())
        {
            var selected = deployments.Where(d => Matches(service.Spec.Selector, d.Spec.Template.Metadata.Labels)).ToList();
            var target = Assert.Single(selected);
            Assert.Equal("etrid-exporter", target.Metadata.Name);

            var containerPorts = target.Spec.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in service.Spec.Ports)
            {
                var targetPort = port.TargetPort?.Value;
                Assert.False(int.TryParse(targetPort, out _), $"{service.Metadata.Name}:{port.Name} targets a number, not a port name");
                var containerPort = Assert.Single(containerPorts, p => p.Name == targetPort);
                Assert.Equal(port.Protocol ?? "TCP", containerPort.Protocol ?? "TCP");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_exporter_has_the_named_ports_of_the_design(string variant)
    {
        var container = Exporter(RenderedManifests.Of(variant));
        var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);

        Assert.Equal(new Dictionary<string, int> { ["metrics"] = 9090, ["https"] = 6443, ["grpc"] = 6000 }, ports);
        Assert.All(container.Ports, p => Assert.Null(p.HostPort));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Services_expose_metrics_the_api_on_443_and_the_scaler_on_6000(string variant)
    {
        var rendered = RenderedManifests.Of(variant);

        var metrics = Assert.Single(rendered.Get<V1Service>("etrid-exporter-metrics").Spec.Ports);
        Assert.Equal(("metrics", 9090, "metrics"), (metrics.Name, metrics.Port, metrics.TargetPort.Value));

        var scaler = Assert.Single(rendered.Get<V1Service>("etrid-exporter").Spec.Ports);
        Assert.Equal(("grpc", 6000, "grpc"), (scaler.Name, scaler.Port, scaler.TargetPort.Value));

        var api = rendered.Find<V1Service>("etrid-external-metrics");
        if (Variant.KedaPath.Contains(variant))
        {
            // KEDA owns the APIService there: nothing routes to our API, so neither the Service nor the server is on.
            Assert.Null(api);
            Assert.Contains(Exporter(rendered).Env, e => e.Name == "ETRID_EXTERNAL_METRICS__ENABLED" && e.Value == "false");
            return;
        }

        Assert.NotNull(api);
        var https = Assert.Single(api.Spec.Ports);
        Assert.Equal(("https", 443, "https"), (https.Name, https.Port, https.TargetPort.Value));
        // Pods whose chain figures are stale fail /readyz but must still answer discovery.
        Assert.True(api.Spec.PublishNotReadyAddresses);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Probes_hit_livez_and_readyz_on_the_metrics_port(string variant)
    {
        var container = Exporter(RenderedManifests.Of(variant));
        var metricsPort = container.Ports.Single(p => p.ContainerPort == 9090).Name;

        Assert.Equal(("/livez", metricsPort), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/readyz", metricsPort), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal("metrics", metricsPort);

        // Annotation-based discovery scrapes the same port.
        var annotations = RenderedManifests.Of(variant).Get<V1Deployment>("etrid-exporter").Spec.Template.Metadata.Annotations;
        Assert.Equal("9090", annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        if (container.StartupProbe is { } startup)
        {
            Assert.Equal(metricsPort, startup.HttpGet.Port.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_exporter_has_two_replicas_the_measured_memory_and_a_budget_on_the_same_selector(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var deployment = rendered.Get<V1Deployment>("etrid-exporter");
        var container = Exporter(rendered);

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("192Mi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("256Mi", container.Resources.Limits["memory"].ToString());
        Assert.True(container.Resources.Requests.ContainsKey("cpu"));
        Assert.Equal("1", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);

        var pdb = Assert.Single(rendered.All<V1PodDisruptionBudget>(), p => Matches(p.Spec.Selector.MatchLabels, deployment.Spec.Template.Metadata.Labels));
        Assert.Equal("1", pdb.Spec.MinAvailable.Value);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, pdb.Spec.Selector.MatchLabels);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_worker_keeps_the_seed_settings_and_its_budget_and_claim(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var worker = rendered.Get<V1Deployment>("etrid-gpu-provider");
        var pod = worker.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var env = container.Env.ToDictionary(e => e.Name);

        Assert.Equal("100000000000000", env["PRICE_PER_SECOND"].Value);
        Assert.Equal("true", env["ENABLE_TEE"].Value);
        Assert.Equal("true", env["ENABLE_COMPLIANCE"].Value);
        Assert.Equal("seed_phrase", env["PROVIDER_SEED_PHRASE"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("1", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        // The autoscaler owns the count; a fixed value would reset it on every apply.
        Assert.Null(worker.Spec.Replicas);

        var pdb = rendered.Get<V1PodDisruptionBudget>("etrid-gpu-provider-pdb");
        Assert.True(Matches(pdb.Spec.Selector.MatchLabels, worker.Spec.Template.Metadata.Labels));
        Assert.Equal("1", pdb.Spec.MinAvailable.Value);

        var claim = pod.Volumes.Single(v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ClaimName;
        var pvc = rendered.Get<V1PersistentVolumeClaim>(claim);
        // Every worker writes downloaded models into the shared cache (the seed's ReadOnlyMany could not).
        Assert.Equal(["ReadWriteMany"], pvc.Spec.AccessModes);
        Assert.Equal("500Gi", pvc.Spec.Resources.Requests["storage"].ToString());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ConfigMaps_and_secrets_referenced_by_pods_exist_or_are_documented_as_made_by_hand(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var configMaps = rendered.All<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet();
        var secrets = rendered.All<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();
        // Created out of band (manifests/README.md), or by cert-manager when that component is in.
        var byHand = new HashSet<string> { "etrid-provider-credentials", "etrid-tee-keys", "etrid-external-metrics-tls", "etrid-keda-scaler-tls" };
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Manifests, "README.md"));

        foreach (var d in rendered.All<V1Deployment>())
        {
            var pod = d.Spec.Template.Spec;
            var configMapRefs = pod.Volumes.Where(v => v.ConfigMap is not null).Select(v => v.ConfigMap.Name)
                .Concat(pod.Containers.SelectMany(c => c.Env ?? []).Where(e => e.ValueFrom?.ConfigMapKeyRef is not null).Select(e => e.ValueFrom.ConfigMapKeyRef.Name));
            var secretRefs = pod.Volumes.Where(v => v.Secret is not null).Select(v => v.Secret.SecretName)
                .Concat(pod.Containers.SelectMany(c => c.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Name))
                .Concat(pod.Containers.SelectMany(c => c.EnvFrom ?? []).Where(e => e.SecretRef is not null).Select(e => e.SecretRef.Name));

            Assert.All(configMapRefs, name => Assert.Contains(name, configMaps));
            foreach (var name in secretRefs.Where(n => !secrets.Contains(n)))
            {
                Assert.Contains(name, byHand);
                Assert.Contains(name, readme, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void No_pod_gets_service_link_variables_which_the_exporter_would_read_as_config_keys(string variant)
    {
        // Kubernetes names them <SERVICE>_SERVICE_HOST etc.; our Services start with etrid-, and the
        // exporter reads every ETRID_ variable as a configuration key and refuses unknown ones.
        var rendered = RenderedManifests.Of(variant);
        Assert.Contains(rendered.All<V1Service>(), s => s.Metadata.Name.StartsWith("etrid-", StringComparison.Ordinal));
        Assert.All(rendered.All<V1Deployment>(), d => Assert.False(d.Spec.Template.Spec.EnableServiceLinks));
    }

    [Fact]
    public void Secret_volumes_are_readable_by_the_non_root_user()
    {
        foreach (var d in RenderedManifests.Of(Variant.Base).All<V1Deployment>())
        {
            var pod = d.Spec.Template.Spec;
            foreach (var volume in pod.Volumes.Where(v => v.Secret is not null))
            {
                // Files are owned by root with group fsGroup: the default 0644 or a group-readable mode.
                var mode = volume.Secret.DefaultMode ?? Convert.ToInt32("644", 8);
                var readable = (mode & Convert.ToInt32("004", 8)) != 0 || (pod.SecurityContext.FsGroup is not null && (mode & Convert.ToInt32("040", 8)) != 0);
                Assert.True(readable, $"{d.Metadata.Name}: volume {volume.Name} mode {Convert.ToString(mode, 8)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_network_policy_covers_the_exporter_and_names_real_ports(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var policy = rendered.Get<V1NetworkPolicy>("etrid-exporter");
        var exporter = rendered.Get<V1Deployment>("etrid-exporter");
        var portNames = Exporter(rendered).Ports.Select(p => p.Name).ToHashSet();

        Assert.True(Matches(policy.Spec.PodSelector.MatchLabels, exporter.Spec.Template.Metadata.Labels));
        var allowed = policy.Spec.Ingress.SelectMany(r => r.Ports).Select(p => p.Port.Value).ToList();
        Assert.Equal(portNames.Order(), allowed.Order());
        // The unauthenticated scaler port is open to KEDA's namespace only.
        var grpc = Assert.Single(policy.Spec.Ingress, r => r.Ports.Any(p => p.Port.Value == "grpc"));
        var from = Assert.Single(grpc.FromProperty);
        Assert.Equal("keda", from.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
    }

    [Theory]
    [InlineData(Variant.HpaAllComponents)]
    [InlineData(Variant.KedaAllComponents)]
    public void The_service_monitor_scrapes_the_metrics_port_of_exactly_one_service(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var monitor = Assert.Single(rendered.All<ServiceMonitor>());
        var endpoint = Assert.Single(monitor.Spec.Endpoints);

        var scraped = rendered.All<V1Service>()
            .Where(s => Matches(monitor.Spec.Selector.MatchLabels, s.Metadata.Labels))
            .Where(s => s.Spec.Ports.Any(p => p.Name == endpoint.Port))
            .ToList();
        var service = Assert.Single(scraped);
        Assert.Equal("etrid-exporter-metrics", service.Metadata.Name);
        Assert.Equal("/metrics", endpoint.Path);
        Assert.Equal("kube-prometheus", monitor.Metadata.Labels["release"]);
    }

    [Theory]
    [InlineData(Variant.Base)]
    [InlineData(Variant.Hpa)]
    [InlineData(Variant.Keda)]
    public void Without_the_monitoring_component_nothing_needs_the_prometheus_operator(string variant) =>
        Assert.DoesNotContain(RenderedManifests.Of(variant).Objects, o => o.ApiVersion.StartsWith("monitoring.coreos.com/", StringComparison.Ordinal));

    internal static V1Container Exporter(RenderedManifests rendered) =>
        Assert.Single(rendered.Get<V1Deployment>("etrid-exporter").Spec.Template.Spec.Containers);

    internal static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null
        && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
