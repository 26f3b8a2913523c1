using System.Security.Cryptography.X509Certificates;
using Etrid.Scaling.Caching;
using Etrid.Scaling.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// Identifies a caller as an aggregated API server does (spec §1.6): a client certificate chaining
/// to the request-header CA with an allowed CN → identity from the <c>X-Remote-*</c> headers (and
/// only then are they read); a certificate chaining to the client CA → CN and O; else a bearer token
/// (static tokens, then TokenReview); else anonymous when allowed; else not authenticated.
/// </summary>
public sealed class RequestAuthenticator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private static readonly object VerdictKey = new();
    private readonly AuthenticationConfigStore _store;
    private readonly StaticTokens? _tokens;
    private readonly TokenReviewer? _reviewer;
    private readonly bool _allowAnonymous;
    private readonly TimeProvider _time;
    private readonly ScalingTelemetry? _telemetry;
    private readonly ExpiringCache<(string Thumbprint, int Version, bool RequestHeader), bool> _chains;

    internal RequestAuthenticator(AuthenticationConfigStore store, StaticTokens? tokens, TokenReviewer? reviewer, bool allowAnonymous, TimeProvider time, ScalingTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        _store = store;
        _tokens = tokens;
        _reviewer = reviewer;
        _allowAnonymous = allowAnonymous;
        _time = time;
        // Chain building costs far more than serving a value: remember verdicts per certificate briefly.
        _chains = new(TimeSpan.FromSeconds(60), time, 1024);
    }

    /// <summary>Raised (with the message) when a TokenReview cannot be made.</summary>
    public event Action<string>? TokenReviewFailed;

    /// <summary>True when some way of authenticating exists.</summary>
    public bool CanAuthenticate => !_store.Current.TrustsNoCertificate || _tokens is not null || _reviewer is not null || _allowAnonymous || _store.ClusterRequired;

    /// <summary>Identifies the caller of one request.</summary>
    /// <param name="certificate">The connection's client certificate, if any.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="connectionItems">The connection's items, to remember certificate verdicts for the connection's life (its certificate cannot change).</param>
    /// <param name="cancellationToken">Cancels a TokenReview.</param>
    public async Task<AuthenticationOutcome> AuthenticateAsync(X509Certificate2? certificate, IHeaderDictionary headers, IDictionary<object, object?>? connectionItems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var config = _store.Current;
        string? certificateProblem = null;
        if (certificate is not null)
        {
            var verdict = Verdict(certificate, config, connectionItems);
            if (verdict.RequestHeader)
            {
                if (config.AllowedNames.Count == 0 || config.AllowedNames.Contains(verdict.CommonName, StringComparer.Ordinal))
                {
                    var user = FromHeaders(config, headers);
                    if (user is not null)
                    {
                        return AuthenticationOutcome.Success(user, "request-header");
                    }

                    certificateProblem = $"front proxy '{verdict.CommonName}' sent no {string.Join("/", config.UsernameHeaders)} header";
                }
                else
                {
                    certificateProblem = $"client certificate CN '{verdict.CommonName}' is not allowed to assert identities";
                }
            }

            if (verdict.ClientUser is { } clientUser)
            {
                return AuthenticationOutcome.Success(clientUser, "client-certificate");
            }

            certificateProblem ??= "client certificate not signed by a trusted CA";
        }

        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (token.Length is > 0 and <= 8192)
            {
                if (_tokens?.Find(token) is { } known)
                {
                    return AuthenticationOutcome.Success(known, "static-token");
                }

                if (_reviewer is not null)
                {
                    try
                    {
                        if (await _reviewer.ReviewAsync(token, cancellationToken).ConfigureAwait(false) is { } reviewed)
                        {
                            return AuthenticationOutcome.Success(reviewed, "token-review");
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        _telemetry?.Review("token_review", "error", cached: false);
                        TokenReviewFailed?.Invoke(e.Message);
                        return AuthenticationOutcome.Fail("token review unavailable");
                    }
                }
            }

            return AuthenticationOutcome.Fail("invalid bearer token");
        }

        if (certificateProblem is not null)
        {
            return AuthenticationOutcome.Fail(certificateProblem);
        }

        return _allowAnonymous
            ? AuthenticationOutcome.Success(KubernetesUser.Anonymous, "anonymous")
            : AuthenticationOutcome.Fail("no credentials");
    }

    private static KubernetesUser? FromHeaders(AuthenticationConfig config, IHeaderDictionary headers)
    {
        var name = config.UsernameHeaders.Select(h => headers[h].FirstOrDefault(v => !string.IsNullOrEmpty(v))).FirstOrDefault(v => v is not null);
        if (name is null)
        {
            return null;
        }

        var groups = config.GroupHeaders.SelectMany(h => (IEnumerable<string?>)headers[h]).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
        var uid = config.UidHeaders.Select(h => headers[h].FirstOrDefault(v => !string.IsNullOrEmpty(v))).FirstOrDefault(v => v is not null);
        var extra = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (header, values) in headers)
        {
            foreach (var prefix in config.ExtraHeaderPrefixes)
            {
                if (header.Length > prefix.Length && header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    // Keys travel percent-encoded (they may hold '/'); Kubernetes lower-cases them.
                    var key = Uri.UnescapeDataString(header[prefix.Length..]).ToLowerInvariant();
                    if (!extra.TryGetValue(key, out var list))
                    {
                        extra[key] = list = [];
                    }

                    list.AddRange(((StringValues)values).Where(v => v is not null).Select(v => v!));
                }
            }
        }

        return new KubernetesUser(name, uid, groups, extra.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal));
    }

    private static KubernetesUser FromCertificate(X509Certificate2 certificate)
    {
        var organisations = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.HasMultipleElements is false && rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue())
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => v!)
            .ToArray();
        return new KubernetesUser(certificate.GetNameInfo(X509NameType.SimpleName, false), null, organisations, new Dictionary<string, IReadOnlyList<string>>());
    }

    // What a certificate proves cannot change during its connection: decided once per connection (and
    // per authentication configuration version), so a request costs a dictionary lookup, not chain building and ASN.1 parsing.
    private CertificateVerdict Verdict(X509Certificate2 certificate, AuthenticationConfig config, IDictionary<object, object?>? items)
    {
        var version = _store.Version;
        if (items is not null)
        {
            // HTTP/2 streams of one connection run concurrently; its items are a plain dictionary.
            lock (items)
            {
                if (items.TryGetValue(VerdictKey, out var v) && v is CertificateVerdict known && known.Version == version)
                {
                    return known;
                }
            }
        }

        var requestHeader = config.RequestHeaderCa.Count > 0 && ChainsUncached(certificate, config.RequestHeaderCa, requestHeader: true);
        var clientCa = config.ClientCa.Count > 0 && ChainsUncached(certificate, config.ClientCa, requestHeader: false);
        var verdict = new CertificateVerdict(
            version,
            requestHeader,
            requestHeader ? certificate.GetNameInfo(X509NameType.SimpleName, false) : string.Empty,
            clientCa ? FromCertificate(certificate) : null);
        if (items is not null)
        {
            lock (items)
            {
                items[VerdictKey] = verdict;
            }
        }

        return verdict;
    }

    private bool ChainsUncached(X509Certificate2 certificate, X509Certificate2Collection roots, bool requestHeader)
    {
        var key = (certificate.Thumbprint, _store.Version, requestHeader);
        if (_chains.TryGet(key, out var known))
        {
            return known;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthOid));
        var ok = chain.Build(certificate);
        _chains.Set(key, ok);
        return ok;
    }

    /// <param name="RequestHeader">Chains to the request-header CA.</param>
    /// <param name="CommonName">The certificate's CN when it does (the front proxy's name).</param>
    /// <param name="ClientUser">The user it names when it chains to the client CA.</param>
    private sealed record CertificateVerdict(int Version, bool RequestHeader, string CommonName, KubernetesUser? ClientUser);
}
