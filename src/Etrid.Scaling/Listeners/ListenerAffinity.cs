namespace Etrid.Scaling.Listeners;

/// <summary>
/// Endpoint metadata tying an endpoint to one named listener (a Kestrel endpoint tagged with
/// <see cref="ListenerTagging.TagListener"/>). The host serves /metrics on another port: an endpoint with
/// this metadata answers only on its listener, and a tagged listener answers only its own endpoints.
/// </summary>
public sealed record ListenerAffinity(string Listener);
