namespace Etrid.Mithril.Models;

/// <summary><c>ProjectModel</c>.</summary>
public sealed record Project
{
    /// <summary>Project FID (<c>proj_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
