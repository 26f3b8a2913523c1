namespace Etrid.Scaling.Authentication;

/// <summary>Who the caller is, or why not. <see cref="Method"/> names how they were recognised.</summary>
public sealed record AuthenticationOutcome(KubernetesUser? User, string Method, string? Failure)
{
    /// <summary>Authenticated as <paramref name="user"/> by <paramref name="method"/>.</summary>
    public static AuthenticationOutcome Success(KubernetesUser user, string method) => new(user, method, null);

    /// <summary>Not authenticated, for <paramref name="reason"/>.</summary>
    public static AuthenticationOutcome Fail(string reason) => new(null, "none", reason);
}
