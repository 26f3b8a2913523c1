using Etrid.Manifests.Tests.Rendering;
using k8s.Models;

namespace Etrid.Manifests.Tests.Policy;

/// <summary>
/// What a ServiceAccount may do given the rendered Roles and bindings plus the cluster's built-in roles,
/// evaluated as the RBAC authorizer does (a union of grants; RoleBindings scope to their namespace).
/// </summary>
internal sealed class RbacModel
{
    /// <summary>
    /// Built-in ClusterRoles we bind to, as the Kubernetes bootstrap policy defines them
    /// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
    /// </summary>
    private static readonly Dictionary<string, V1PolicyRule[]> BuiltInClusterRoles = new(StringComparer.Ordinal)
    {
        ["system:auth-delegator"] =
        [
            new V1PolicyRule { ApiGroups = ["authentication.k8s.io"], Resources = ["tokenreviews"], Verbs = ["create"] },
            new V1PolicyRule { ApiGroups = ["authorization.k8s.io"], Resources = ["subjectaccessreviews"], Verbs = ["create"] },
        ],
    };

    /// <summary>Built-in Roles we bind to (bootstrappolicy/namespace_policy.go), by namespace and name.</summary>
    private static readonly Dictionary<(string Namespace, string Name), V1PolicyRule[]> BuiltInRoles = new()
    {
        [("kube-system", "extension-apiserver-authentication-reader")] =
        [
            new V1PolicyRule
            {
                ApiGroups = [""],
                Resources = ["configmaps"],
                ResourceNames = ["extension-apiserver-authentication"],
                Verbs = ["get", "list", "watch"],
            },
        ],
    };

    private RbacModel(IReadOnlyList<Grant> grants, IReadOnlyList<string> problems)
    {
        Grants = grants;
        Problems = problems;
    }

    /// <summary>Every single permission the subject holds.</summary>
    public IReadOnlyList<Grant> Grants { get; }

    /// <summary>Bindings whose role exists neither in the render nor among the built-ins.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static RbacModel ForServiceAccount(RenderedManifests rendered, string ns, string name)
    {
        var grants = new List<Grant>();
        var problems = new List<string>();

        foreach (var binding in rendered.All<V1ClusterRoleBinding>().Where(b => Binds(b.Subjects, ns, name)))
        {
            var rules = ClusterRoleRules(rendered, binding.RoleRef.Name);
            if (binding.RoleRef.Kind != "ClusterRole" || rules is null)
            {
                problems.Add($"ClusterRoleBinding {binding.Metadata.Name}: no ClusterRole {binding.RoleRef.Name}");
                continue;
            }

            grants.AddRange(Expand(rules, null, $"ClusterRoleBinding {binding.Metadata.Name}"));
        }

        foreach (var binding in rendered.All<V1RoleBinding>().Where(b => Binds(b.Subjects, ns, name)))
        {
            var bindingNs = binding.Metadata.NamespaceProperty;
            var rules = binding.RoleRef.Kind switch
            {
                "Role" => RoleRules(rendered, bindingNs, binding.RoleRef.Name),
                "ClusterRole" => ClusterRoleRules(rendered, binding.RoleRef.Name),
                _ => null,
            };
            if (rules is null)
            {
                problems.Add($"RoleBinding {bindingNs}/{binding.Metadata.Name}: no {binding.RoleRef.Kind} {binding.RoleRef.Name}");
                continue;
            }

            grants.AddRange(Expand(rules, bindingNs, $"RoleBinding {bindingNs}/{binding.Metadata.Name}"));
        }

        return new RbacModel(grants, problems);
    }

    public bool Allows(ApiCall call) => Grants.Any(g => g.Allows(call));

    private static bool Binds(IList<Rbacv1Subject>? subjects, string ns, string name) =>
        (subjects ?? []).Any(s => s.Kind == "ServiceAccount" && s.Name == name && s.NamespaceProperty == ns);

    private static IList<V1PolicyRule>? ClusterRoleRules(RenderedManifests rendered, string name) =>
        rendered.All<V1ClusterRole>().SingleOrDefault(r => r.Metadata.Name == name)?.Rules
        ?? BuiltInClusterRoles.GetValueOrDefault(name);

    private static IList<V1PolicyRule>? RoleRules(RenderedManifests rendered, string ns, string name) =>
        rendered.All<V1Role>().SingleOrDefault(r => r.Metadata.Name == name && r.Metadata.NamespaceProperty == ns)?.Rules
        ?? BuiltInRoles.GetValueOrDefault((ns, name));

    private static IEnumerable<Grant> Expand(IList<V1PolicyRule> rules, string? ns, string source) =>
        from rule in rules
        from verb in rule.Verbs ?? []
        from grp in rule.ApiGroups ?? []
        from resource in rule.Resources ?? []
        from resourceName in rule.ResourceNames is { Count: > 0 } names ? names.Select(n => (string?)n) : [null]
        select new Grant(verb, grp, resource, ns, resourceName, source);
}
