namespace Etrid.Scaling.Authorization;

/// <summary>Allowed or not, with the reason the authorizer gave.</summary>
public sealed record AccessDecision(bool Allowed, string Reason);
