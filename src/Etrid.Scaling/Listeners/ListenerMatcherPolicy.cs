using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Etrid.Scaling.Listeners;

/// <summary>
/// Keeps endpoints with <see cref="ListenerAffinity"/> on their listener and everything else off
/// tagged listeners, so the same path (<c>/healthz</c>) can mean different things on two ports and
/// /metrics is not reachable through the authenticated API port.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the built-in policies (host, HTTP method), which only narrow further.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var listener = ListenerTagging.ListenerOf(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var affinity = candidates[i].Endpoint.Metadata.GetMetadata<ListenerAffinity>();
            if (!string.Equals(affinity?.Listener, listener, StringComparison.Ordinal))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
