namespace Etrid.Manifests.Tests.Policy;

/// <summary>
/// One Kubernetes API request as the RBAC authorizer sees it. <paramref name="Resource"/> may carry a
/// subresource (<c>horizontalpodautoscalers/status</c>); <paramref name="Namespace"/> is null for a
/// cluster-scoped call, <paramref name="Name"/> null when the request names no object (create, list).
/// </summary>
internal sealed record ApiCall(string Verb, string Group, string Resource, string? Namespace, string? Name, string Why)
{
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Name is null ? "" : "/" + Name)}{(Namespace is null ? " (cluster)" : " in " + Namespace)}: {Why}";
}
