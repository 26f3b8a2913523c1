using Etrid.Scaling.Caching;
using Etrid.Scaling.Telemetry;
using k8s;
using k8s.Models;

namespace Etrid.Scaling.Authentication;

/// <summary>Bearer tokens checked with TokenReview (<c>authentication.k8s.io/v1</c>); answers cached briefly, keyed by the token's digest.</summary>
internal sealed class TokenReviewer(Etrid.Kubernetes.KubernetesAccess api, TimeSpan cacheTtl, TimeSpan timeout, TimeProvider time, ScalingTelemetry? telemetry = null)
{
    private readonly ExpiringCache<string, KubernetesUser?> _cache = new(cacheTtl, time);

    /// <summary>The token's user, or null when the API says it is not authenticated.</summary>
    /// <exception cref="Exception">The review could not be made (not cached).</exception>
    public async Task<KubernetesUser?> ReviewAsync(string token, CancellationToken cancellationToken)
    {
        var digest = StaticTokens.Digest(token);
        if (_cache.TryGet(digest, out var cached))
        {
            telemetry?.Review("token_review", cached is null ? "denied" : "allowed", cached: true);
            return cached;
        }

        var client = api.Client!;
        var review = await Etrid.Kubernetes.KubernetesCall.WithinAsync(
            "TokenReview",
            timeout,
            time,
            ct => client.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenReview", Spec = new V1TokenReviewSpec { Token = token } },
                cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        KubernetesUser? user = null;
        if (review.Status is { Authenticated: true, User: { } info } && !string.IsNullOrEmpty(info.Username))
        {
            user = new KubernetesUser(
                info.Username,
                string.IsNullOrEmpty(info.Uid) ? null : info.Uid,
                info.Groups?.ToArray() ?? [],
                info.Extra?.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)(e.Value?.ToArray() ?? []), StringComparer.Ordinal) ?? new Dictionary<string, IReadOnlyList<string>>());
        }

        _cache.Set(digest, user);
        telemetry?.Review("token_review", user is null ? "denied" : "allowed", cached: false);
        return user;
    }
}
