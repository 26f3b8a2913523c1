namespace Etrid.Scaling.Authentication;

/// <summary>An authenticated caller as Kubernetes describes one (user.Info): name, uid, groups, extra.</summary>
public sealed record KubernetesUser(string Name, string? Uid, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>> Extra)
{
    /// <summary>A caller without credentials, when anonymous access is allowed.</summary>
    public static KubernetesUser Anonymous { get; } = new("system:anonymous", null, ["system:unauthenticated"], new Dictionary<string, IReadOnlyList<string>>());

    /// <summary>A cache key covering every field (the SubjectAccessReview depends on all of them).</summary>
    /// <remarks>Computed once, from the other fields (so equality is unaffected): the authorizer asks for it on every request.</remarks>
    public string Key { get; } = string.Join('\u001f', [Name, Uid ?? string.Empty, string.Join('\u001e', Groups), string.Join('\u001e', Extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + string.Join('\u001d', e.Value)))]);
}
