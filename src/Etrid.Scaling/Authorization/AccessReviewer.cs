using System.Runtime.CompilerServices;
using Etrid.Kubernetes;
using Etrid.Scaling.Authentication;
using Etrid.Scaling.Caching;
using Etrid.Scaling.Telemetry;
using k8s;
using k8s.Models;

namespace Etrid.Scaling.Authorization;

/// <summary>
/// Authorizes a caller with SubjectAccessReview (<c>authorization.k8s.io/v1</c>); decisions (allow
/// and deny) cached briefly; group <c>system:masters</c> skips the review. Without a Kubernetes API
/// (standalone) every authenticated caller is allowed. A review that cannot be made is a denial.
/// </summary>
public sealed class AccessReviewer
{
    private const string Masters = "system:masters";
    private static readonly Task<AccessDecision> StandaloneAllowed = Task.FromResult(new AccessDecision(true, "standalone: authenticated callers are allowed"));
    private static readonly Task<AccessDecision> MastersAllowed = Task.FromResult(new AccessDecision(true, Masters));
    private readonly KubernetesAccess _api;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ScalingTelemetry? _telemetry;
    private readonly ExpiringCache<(string User, AccessAttributes Attributes), AccessDecision> _cache;

    internal AccessReviewer(KubernetesAccess api, TimeSpan cacheTtl, TimeSpan timeout, TimeProvider time, ScalingTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        _api = api;
        _timeout = timeout;
        _time = time;
        _cache = new(cacheTtl, time);
    }

    /// <summary>Raised (user, message) when a review cannot be made.</summary>
    public event Action<string, string>? ReviewFailed;

    /// <summary>True when decisions come from SubjectAccessReview.</summary>
    public bool IsDelegated => !_api.IsStandalone;

    /// <summary>Decides whether <paramref name="user"/> may do <paramref name="attributes"/>.</summary>
    public Task<AccessDecision> ReviewAsync(KubernetesUser user, AccessAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(attributes);
        if (_api.IsStandalone)
        {
            return StandaloneAllowed;
        }

        if (user.Groups.Contains(Masters, StringComparer.Ordinal))
        {
            return MastersAllowed;
        }

        var key = (user.Key, attributes);
        if (_cache.TryGet(key, out var cached))
        {
            _telemetry?.Review("subject_access_review", cached.Allowed ? "allowed" : "denied", cached: true);
            return Task.FromResult(cached);
        }

        return AskClusterAsync(user, attributes, key, cancellationToken);
    }

    // Apart from the answered paths above, so that a standalone server never loads the Kubernetes client library.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<AccessDecision> AskClusterAsync(KubernetesUser user, AccessAttributes attributes, (string, AccessAttributes) key, CancellationToken cancellationToken)
    {
        var spec = new V1SubjectAccessReviewSpec
        {
            User = user.Name,
            Uid = user.Uid,
            Groups = user.Groups.ToList(),
            Extra = user.Extra.Count == 0 ? null : user.Extra.ToDictionary(e => e.Key, e => (IList<string>)e.Value.ToList()),
        };
        if (attributes.IsResource)
        {
            spec.ResourceAttributes = new V1ResourceAttributes
            {
                Verb = attributes.Verb,
                Group = AccessAttributes.Group,
                Version = AccessAttributes.Version,
                Resource = attributes.Resource,
                NamespaceProperty = attributes.Namespace,
            };
        }
        else
        {
            spec.NonResourceAttributes = new V1NonResourceAttributes { Path = attributes.Path, Verb = attributes.Verb };
        }

        try
        {
            var client = _api.Client!;
            var review = await KubernetesCall.WithinAsync(
                "SubjectAccessReview",
                _timeout,
                _time,
                ct => client.AuthorizationV1.CreateSubjectAccessReviewAsync(
                    new V1SubjectAccessReview { ApiVersion = "authorization.k8s.io/v1", Kind = "SubjectAccessReview", Spec = spec },
                    cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            var allowed = review.Status is { Allowed: true, Denied: not true };
            var reason = review.Status?.Reason is { Length: > 0 } r ? r : allowed ? "allowed" : "no RBAC policy matched";
            var decision = new AccessDecision(allowed, reason);
            _cache.Set(key, decision);
            _telemetry?.Review("subject_access_review", allowed ? "allowed" : "denied", cached: false);
            return decision;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _telemetry?.Review("subject_access_review", "error", cached: false);
            ReviewFailed?.Invoke(user.Name, e.Message);
            return new AccessDecision(false, "authorization unavailable: the SubjectAccessReview could not be made");
        }
    }
}
