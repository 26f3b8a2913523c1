namespace Etrid.Mithril.Models;

/// <summary><c>NewSshKeyModel</c>: an SSH key of a project.</summary>
public sealed record SshKey
{
    /// <summary>Key FID (<c>sshkey_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Project FID.</summary>
    public string Project { get; init; } = "";

    /// <summary>The public key.</summary>
    public string PublicKey { get; init; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether the key is added to every instance of the project.</summary>
    public bool Required { get; init; }
}
