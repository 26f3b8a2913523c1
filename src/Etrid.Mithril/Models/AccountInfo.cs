namespace Etrid.Mithril.Models;

/// <summary><c>MeResponse</c>: who the API key belongs to (the credential check).</summary>
public sealed record AccountInfo
{
    /// <summary>User id.</summary>
    public string Id { get; init; } = "";

    /// <summary>User FID (<c>user_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>E-mail address.</summary>
    public string Email { get; init; } = "";

    /// <summary>User name, if set.</summary>
    public string? UserName { get; init; }

    /// <summary>Organisation id.</summary>
    public string OrganizationId { get; init; } = "";

    /// <summary>Role in the organisation, if set.</summary>
    public string? OrganizationRole { get; init; }
}
