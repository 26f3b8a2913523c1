using Etrid.Manifests.Tests.Crds;
using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>The HPA and the ScaledObject carry the seed's numbers and point at what exists.</summary>
public sealed class AutoscalingTests
{
    public static TheoryData<string> HpaVariants => [.. Variant.HpaPath];

    public static TheoryData<string> KedaVariants => [.. Variant.KedaPath];

    [Theory]
    [MemberData(nameof(HpaVariants))]
    public void The_hpa_scales_the_worker_between_2_and_100_on_pending_jobs_and_wait_time(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var hpa = rendered.Get<V2HorizontalPodAutoscaler>("etrid-ai-gpu-scaler");

        Assert.Equal(("apps/v1", "Deployment", "etrid-gpu-provider"), (hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        rendered.Get<V1Deployment>(hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal(2, hpa.Spec.MinReplicas);
        Assert.Equal(100, hpa.Spec.MaxReplicas);

        Assert.All(hpa.Spec.Metrics, m => Assert.Equal("External", m.Type));
        var queue = Assert.Single(hpa.Spec.Metrics, m => m.External.Metric.Name == "etrid_job_queue_depth").External;
        // Pending only: the HPA sums every item the selector matches.
        Assert.Equal(new Dictionary<string, string> { ["pbc"] = "ai-compute", ["status"] = "pending" }, queue.Metric.Selector.MatchLabels);
        Assert.Equal("AverageValue", queue.Target.Type);
        Assert.Equal("5", queue.Target.AverageValue.ToString());
        Assert.Null(queue.Target.Value);

        var wait = Assert.Single(hpa.Spec.Metrics, m => m.External.Metric.Name == "etrid_avg_job_wait_seconds").External;
        Assert.Equal(new Dictionary<string, string> { ["pbc"] = "ai-compute" }, wait.Metric.Selector.MatchLabels);
        // A time does not divide by the replica count: Value, not AverageValue.
        Assert.Equal("Value", wait.Target.Type);
        Assert.Equal("30", wait.Target.Value.ToString());
        Assert.Null(wait.Target.AverageValue);

        AssertSeedBehaviour(hpa.Spec.Behavior);
    }

    [Fact]
    public void The_hpa_overlay_leaves_out_the_gpu_utilisation_metric_until_the_component_names_a_provider()
    {
        var plain = RenderedManifests.Of(Variant.Hpa).Get<V2HorizontalPodAutoscaler>("etrid-ai-gpu-scaler");
        Assert.Equal(2, plain.Spec.Metrics.Count);

        var full = RenderedManifests.Of(Variant.HpaAllComponents).Get<V2HorizontalPodAutoscaler>("etrid-ai-gpu-scaler");
        var utilisation = Assert.Single(full.Spec.Metrics, m => m.External?.Metric.Name == "etrid_gpu_utilization_percent");
        Assert.Equal("External", utilisation.Type);
        Assert.Equal("Value", utilisation.External.Target.Type);
        Assert.Equal("80", utilisation.External.Target.Value.ToString());
        Assert.Contains("provider", utilisation.External.Metric.Selector.MatchLabels.Keys);
        Assert.Equal("ai-compute", utilisation.External.Metric.Selector.MatchLabels["pbc"]);
    }

    [Fact]
    public void The_seed_behaviour_gives_the_seeds_worked_steps()
    {
        // The seed's comments: 2 -> 6 and 10 -> 15 workers in a minute up; one worker a minute down.
        var behavior = RenderedManifests.Of(Variant.Hpa).Get<V2HorizontalPodAutoscaler>("etrid-ai-gpu-scaler").Spec.Behavior;

        Assert.Equal(6, Limit(behavior.ScaleUp, 2, up: true));
        Assert.Equal(15, Limit(behavior.ScaleUp, 10, up: true));
        Assert.Equal(99, Limit(behavior.ScaleDown, 100, up: false));
        Assert.Equal(9, Limit(behavior.ScaleDown, 10, up: false));
    }

    [Theory]
    [MemberData(nameof(KedaVariants))]
    public void The_scaled_object_has_the_same_thresholds_and_calls_the_scaler_service(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        var scaled = Assert.Single(rendered.All<ScaledObject>());

        Assert.Equal("etrid-gpu-provider", scaled.Spec.ScaleTargetRef.Name);
        rendered.Get<V1Deployment>(scaled.Spec.ScaleTargetRef.Name);
        Assert.Equal(2, scaled.Spec.MinReplicaCount);
        Assert.Equal(100, scaled.Spec.MaxReplicaCount);
        AssertSeedBehaviour(scaled.Spec.Advanced!.HorizontalPodAutoscalerConfig!.Behavior!);

        var triggers = scaled.Spec.Triggers.ToDictionary(t => t.Metadata["metricName"]);
        Assert.Equal(2, triggers.Count);
        var queue = triggers["etrid_job_queue_depth"];
        Assert.Equal("AverageValue", queue.MetricType);
        Assert.Equal("5", queue.Metadata["targetValue"]);
        Assert.Equal(["pbc=ai-compute", "status=pending"], queue.Metadata["labelSelector"].Split(',').Order());
        var wait = triggers["etrid_avg_job_wait_seconds"];
        Assert.Equal("Value", wait.MetricType);
        Assert.Equal("30", wait.Metadata["targetValue"]);
        Assert.Equal("pbc=ai-compute", wait.Metadata["labelSelector"]);

        foreach (var trigger in scaled.Spec.Triggers)
        {
            Assert.Contains(trigger.Type, new[] { "external", "external-push" });
            Assert.Equal(
                ["activationTargetValue", "labelSelector", "metricName", "scalerAddress", "targetValue"],
                trigger.Metadata.Keys.Order());
            Assert.True(double.TryParse(trigger.Metadata["activationTargetValue"], System.Globalization.CultureInfo.InvariantCulture, out _));

            // scalerAddress = <service>.<namespace>.svc:<port>, a Service port that reaches the container's grpc port.
            var (host, port) = SplitAddress(trigger.Metadata["scalerAddress"]);
            Assert.Equal("etrid-exporter.etrid-ai-compute.svc", host);
            var labels = host.Split('.');
            Assert.Equal("etrid-ai-compute", labels[1]);
            var service = rendered.Get<V1Service>(labels[0]);
            var servicePort = Assert.Single(service.Spec.Ports, p => p.Port == port);
            var containerPort = WiringTests.Exporter(rendered).Ports.Single(p => p.Name == servicePort.TargetPort.Value);
            Assert.Equal(6000, containerPort.ContainerPort);
        }
    }

    [Theory]
    [MemberData(nameof(KedaVariants))]
    public void The_keda_path_ships_no_apiservice_and_no_hpa_of_its_own(string variant)
    {
        var rendered = RenderedManifests.Of(variant);
        Assert.Empty(rendered.All<V1APIService>());
        Assert.Empty(rendered.All<V2HorizontalPodAutoscaler>());
    }

    [Theory]
    [MemberData(nameof(HpaVariants))]
    public void The_hpa_path_ships_no_scaled_object(string variant) =>
        Assert.Empty(RenderedManifests.Of(variant).All<ScaledObject>());

    [Fact]
    public void With_tls_on_every_trigger_authenticates_with_a_ca_from_a_secret_the_exporter_serves()
    {
        var rendered = RenderedManifests.Of(Variant.KedaAllComponents);
        var scaled = Assert.Single(rendered.All<ScaledObject>());
        var deployment = rendered.Get<V1Deployment>("etrid-exporter");
        var env = WiringTests.Exporter(rendered).Env.ToDictionary(e => e.Name, e => e.Value);

        Assert.StartsWith("https://", env["ETRID_KEDA_SCALER__LISTEN"], StringComparison.Ordinal);
        foreach (var trigger in scaled.Spec.Triggers)
        {
            var auth = rendered.Get<TriggerAuthentication>(trigger.AuthenticationRef!.Name);
            var ca = Assert.Single(auth.Spec.SecretTargetRef, r => r.Parameter == "caCert");
            Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.Secret?.SecretName == ca.Name);
        }

        Assert.Null(rendered.Get<V1Service>("etrid-exporter").Spec.Ports[0].AppProtocol);
        Assert.Equal("kubernetes.io/h2c", RenderedManifests.Of(Variant.Keda).Get<V1Service>("etrid-exporter").Spec.Ports[0].AppProtocol);
    }

    private static void AssertSeedBehaviour(V2HorizontalPodAutoscalerBehavior behavior)
    {
        Assert.Equal(60, behavior.ScaleUp.StabilizationWindowSeconds);
        Assert.Equal("Max", behavior.ScaleUp.SelectPolicy);
        Assert.Equal(
            [("Percent", 50, 60), ("Pods", 4, 60)],
            behavior.ScaleUp.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)).Order());

        Assert.Equal(300, behavior.ScaleDown.StabilizationWindowSeconds);
        Assert.Equal("Min", behavior.ScaleDown.SelectPolicy);
        Assert.Equal(
            [("Percent", 10, 60), ("Pods", 1, 60)],
            behavior.ScaleDown.Policies.Select(p => (p.Type, p.Value, p.PeriodSeconds)).Order());
    }

    /// <summary>The replica limit one period of the policies allows from <paramref name="start"/> (the HPA's policy rule).</summary>
    private static int Limit(V2HPAScalingRules rules, int start, bool up)
    {
        var limits = rules.Policies.Select(p => (p.Type, up) switch
        {
            ("Pods", true) => start + p.Value,
            ("Percent", true) => (int)Math.Ceiling(start * (1 + (p.Value / 100.0))),
            ("Pods", false) => start - p.Value,
            ("Percent", false) => (int)Math.Floor(start * (1 - (p.Value / 100.0))),
            _ => throw new ArgumentException(p.Type),
        }).ToList();

        // Max = the largest change, Min = the smallest.
        return (rules.SelectPolicy, up) switch
        {
            ("Max", true) or ("Min", false) => limits.Max(),
            ("Min", true) or ("Max", false) => limits.Min(),
            _ => throw new ArgumentException(rules.SelectPolicy),
        };
    }

    private static (string Host, int Port) SplitAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
