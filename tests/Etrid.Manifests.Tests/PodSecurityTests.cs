using Etrid.Manifests.Tests.Policy;
using Etrid.Manifests.Tests.Rendering;
using k8s;
using k8s.Models;

namespace Etrid.Manifests.Tests;

/// <summary>Nothing we ship breaks the Pod Security <c>restricted</c> profile, and the checker itself catches each breach.</summary>
public sealed class PodSecurityTests
{
    public static TheoryData<string> Variants => [.. Variant.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_pod_template_meets_the_restricted_profile(string variant)
    {
        foreach (var d in RenderedManifests.Of(variant).All<V1Deployment>())
        {
            var violations = RestrictedPodSecurity.Violations(d.Spec.Template.Spec);
            Assert.True(violations.Count == 0, $"{d.Metadata.Name}: {string.Join("; ", violations)}");
        }
    }

    [Fact]
    public void The_namespace_enforces_the_restricted_profile()
    {
        var ns = RenderedManifests.Of(Variant.Base).Get<V1Namespace>("etrid-ai-compute");
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void The_exporter_runs_on_a_read_only_root_with_tmp_on_an_empty_dir_as_the_images_uid_1654()
    {
        var rendered = RenderedManifests.Of(Variant.Base);
        var pod = rendered.Get<V1Deployment>("etrid-exporter").Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.Equal(1654, pod.SecurityContext.RunAsGroup);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public void No_container_is_privileged_or_adds_capabilities()
    {
        foreach (var d in RenderedManifests.Of(Variant.Base).All<V1Deployment>())
        {
            foreach (var c in d.Spec.Template.Spec.Containers)
            {
                Assert.NotEqual(true, c.SecurityContext.Privileged);
                Assert.Null(c.SecurityContext.Capabilities.Add);
            }
        }
    }

    public static TheoryData<string, string> Breaches => new()
    {
        { "hostPath volume", "volume types" },
        { "hostNetwork", "host namespaces" },
        { "hostPort", "host ports" },
        { "privileged", "privileged containers" },
        { "escalation allowed", "privilege escalation" },
        { "escalation unset", "privilege escalation" },
        { "runAsNonRoot unset", "running as non-root:" },
        { "runAsUser 0", "running as non-root user" },
        { "seccomp unset", "seccomp" },
        { "seccomp unconfined", "seccomp" },
        { "capabilities not dropped", "capabilities" },
        { "SYS_ADMIN added", "capabilities" },
        { "unsafe sysctl", "sysctls" },
    };

    [Theory]
    [MemberData(nameof(Breaches))]
    public void The_checker_reports_each_breach_of_the_profile(string breach, string rule)
    {
        // A compliant pod (the exporter's), changed in exactly one way.
        var pod = Copy(RenderedManifests.Of(Variant.Base).Get<V1Deployment>("etrid-exporter").Spec.Template.Spec);
        var c = pod.Containers[0];
        switch (breach)
        {
            case "hostPath volume": pod.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } }); break;
            case "hostNetwork": pod.HostNetwork = true; break;
            case "hostPort": c.Ports[0].HostPort = 9090; break;
            case "privileged": c.SecurityContext.Privileged = true; break;
            case "escalation allowed": c.SecurityContext.AllowPrivilegeEscalation = true; break;
            case "escalation unset": c.SecurityContext.AllowPrivilegeEscalation = null; break;
            case "runAsNonRoot unset": pod.SecurityContext.RunAsNonRoot = null; c.SecurityContext.RunAsNonRoot = null; break;
            case "runAsUser 0": c.SecurityContext.RunAsUser = 0; break;
            case "seccomp unset": pod.SecurityContext.SeccompProfile = null; c.SecurityContext.SeccompProfile = null; break;
            case "seccomp unconfined": c.SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" }; break;
            case "capabilities not dropped": c.SecurityContext.Capabilities.Drop = ["NET_RAW"]; break;
            case "SYS_ADMIN added": c.SecurityContext.Capabilities.Add = ["SYS_ADMIN"]; break;
            case "unsafe sysctl": pod.SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "1" }]; break;
            default: throw new ArgumentOutOfRangeException(nameof(breach), breach, null);
        }

        var violation = Assert.Single(RestrictedPodSecurity.Violations(pod));
        Assert.StartsWith(rule, violation, StringComparison.Ordinal);
    }

    private static V1PodSpec Copy(V1PodSpec spec) => KubernetesYaml.Deserialize<V1PodSpec>(KubernetesYaml.Serialize(spec));
}
