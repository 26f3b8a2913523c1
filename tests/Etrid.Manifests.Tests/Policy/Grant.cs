namespace Etrid.Manifests.Tests.Policy;

/// <summary>
/// One permission a subject holds: a single verb on a single resource, expanded from a policy rule.
/// <paramref name="Namespace"/> null = every namespace (a ClusterRoleBinding); <paramref name="Name"/>
/// null = any object.
/// </summary>
internal sealed record Grant(string Verb, string Group, string Resource, string? Namespace, string? Name, string Source)
{
    public bool Allows(ApiCall call) =>
        (Verb == "*" || Verb == call.Verb)
        && (Group == "*" || Group == call.Group)
        && (Resource == "*" || Resource == call.Resource)
        && (Namespace is null || Namespace == call.Namespace)
        && (Name is null || Name == call.Name);

    /// <summary>True when <paramref name="call"/> needs exactly this grant: no wider scope, no wildcard.</summary>
    public bool IsExactly(ApiCall call) =>
        Verb == call.Verb && Group == call.Group && Resource == call.Resource
        && Namespace == call.Namespace && Name == call.Name;

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Name is null ? "" : "/" + Name)}{(Namespace is null ? " (cluster-wide)" : " in " + Namespace)} from {Source}";
}
