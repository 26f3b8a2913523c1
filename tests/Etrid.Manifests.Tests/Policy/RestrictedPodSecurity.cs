using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Etrid.Manifests.Tests.Policy;

/// <summary>
/// The Pod Security Standards' <c>restricted</c> profile (which includes <c>baseline</c>), checked rule by
/// rule on a pod spec, as the PodSecurity admission controller would. Written from the standard, not
/// from our manifests: each violation names the rule it breaks.
/// </summary>
internal static class RestrictedPodSecurity
{
    private static readonly HashSet<string> AllowedVolumeSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    ];

    private static readonly HashSet<string> AllowedSeLinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    public static IReadOnlyList<string> Violations(V1PodSpec pod)
    {
        var found = new List<string>();
        var podContext = pod.SecurityContext ?? new V1PodSecurityContext();

        // Baseline: host namespaces, HostProcess, sysctls, SELinux, AppArmor at pod level.
        if (pod.HostNetwork == true)
        {
            found.Add("host namespaces: hostNetwork");
        }

        if (pod.HostPID == true)
        {
            found.Add("host namespaces: hostPID");
        }

        if (pod.HostIPC == true)
        {
            found.Add("host namespaces: hostIPC");
        }

        if (podContext.WindowsOptions?.HostProcess == true)
        {
            found.Add("HostProcess: pod");
        }

        foreach (var sysctl in podContext.Sysctls ?? [])
        {
            if (!SafeSysctls.Contains(sysctl.Name))
            {
                found.Add($"sysctls: {sysctl.Name}");
            }
        }

        CheckSeLinux(podContext.SeLinuxOptions, "pod", found);
        CheckAppArmor(podContext.AppArmorProfile?.Type, "pod", found);

        // Restricted: volume types (hostPath, a baseline rule, is one of the refused).
        foreach (var volume in pod.Volumes ?? [])
        {
            var sources = VolumeSources(volume);
            foreach (var source in sources.Where(s => !AllowedVolumeSources.Contains(s)))
            {
                found.Add($"volume types: {volume.Name} is {source}");
            }
        }

        // Restricted: runAsNonRoot and seccomp may be set on the pod for every container.
        var podNonRoot = podContext.RunAsNonRoot == true;
        var podSeccomp = podContext.SeccompProfile?.Type;
        if (podSeccomp is not null && podSeccomp is not ("RuntimeDefault" or "Localhost"))
        {
            found.Add($"seccomp: pod profile {podSeccomp}");
        }

        if (podContext.RunAsUser == 0)
        {
            found.Add("running as non-root user: pod runAsUser 0");
        }

        foreach (var (name, context, ports) in Containers(pod))
        {
            var c = context ?? new V1SecurityContext();
            if (c.Privileged == true)
            {
                found.Add($"privileged containers: {name}");
            }

            if (c.WindowsOptions?.HostProcess == true)
            {
                found.Add($"HostProcess: {name}");
            }

            if (c.ProcMount is not null and not "Default")
            {
                found.Add($"/proc mount type: {name} {c.ProcMount}");
            }

            foreach (var port in ports ?? [])
            {
                if (port.HostPort is not null and not 0)
                {
                    found.Add($"host ports: {name} {port.HostPort}");
                }
            }

            CheckSeLinux(c.SeLinuxOptions, name, found);
            CheckAppArmor(c.AppArmorProfile?.Type, name, found);

            if (c.AllowPrivilegeEscalation != false)
            {
                found.Add($"privilege escalation: {name} does not set allowPrivilegeEscalation: false");
            }

            var nonRoot = c.RunAsNonRoot ?? podNonRoot;
            if (!nonRoot)
            {
                found.Add($"running as non-root: {name} does not set runAsNonRoot: true (nor does the pod)");
            }

            if (c.RunAsUser == 0)
            {
                found.Add($"running as non-root user: {name} runAsUser 0");
            }

            var seccomp = c.SeccompProfile?.Type ?? podSeccomp;
            if (seccomp is not ("RuntimeDefault" or "Localhost"))
            {
                found.Add($"seccomp: {name} profile {seccomp ?? "unset"}");
            }

            var drop = c.Capabilities?.Drop ?? [];
            if (!drop.Contains("ALL"))
            {
                found.Add($"capabilities: {name} does not drop ALL");
            }

            foreach (var added in (c.Capabilities?.Add ?? []).Where(a => a != "NET_BIND_SERVICE"))
            {
                found.Add($"capabilities: {name} adds {added}");
            }
        }

        return found;
    }

    private static void CheckSeLinux(V1SELinuxOptions? options, string where, List<string> found)
    {
        if (options is null)
        {
            return;
        }

        if (!AllowedSeLinuxTypes.Contains(options.Type ?? ""))
        {
            found.Add($"SELinux: {where} type {options.Type}");
        }

        if (!string.IsNullOrEmpty(options.User) || !string.IsNullOrEmpty(options.Role))
        {
            found.Add($"SELinux: {where} sets user or role");
        }
    }

    private static void CheckAppArmor(string? type, string where, List<string> found)
    {
        if (type is not null and not ("RuntimeDefault" or "Localhost"))
        {
            found.Add($"AppArmor: {where} profile {type}");
        }
    }

    private static IEnumerable<(string Name, V1SecurityContext? Context, IList<V1ContainerPort>? Ports)> Containers(V1PodSpec pod) =>
        (pod.InitContainers ?? []).Concat(pod.Containers ?? [])
            .Select(c => (c.Name, (V1SecurityContext?)c.SecurityContext, (IList<V1ContainerPort>?)c.Ports))
            .Concat((pod.EphemeralContainers ?? []).Select(c => (c.Name, (V1SecurityContext?)c.SecurityContext, (IList<V1ContainerPort>?)c.Ports)));

    /// <summary>The volume source fields set on <paramref name="volume"/>, by their API (JSON) names.</summary>
    private static List<string> VolumeSources(V1Volume volume) =>
        typeof(V1Volume).GetProperties()
            .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name)
            .ToList();
}
