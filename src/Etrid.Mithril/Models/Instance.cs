using System.Text.Json.Serialization;

namespace Etrid.Mithril.Models;

/// <summary><c>InstanceModel</c>: a node of a bid or reservation.</summary>
public sealed record Instance
{
    /// <summary>Instance FID (<c>inst_…</c>).</summary>
    public string Fid { get; init; } = "";

    /// <summary>Instance name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Project FID.</summary>
    public string Project { get; init; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>User FID of the creator.</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>Instance type FID.</summary>
    public string InstanceType { get; init; } = "";

    /// <summary>Region, when known.</summary>
    public string? Region { get; init; }

    /// <summary>The bid it belongs to, if any.</summary>
    public string? Bid { get; init; }

    /// <summary>The reservation it belongs to, if any.</summary>
    public string? Reservation { get; init; }

    /// <summary>SSH host, once running.</summary>
    public string? SshDestination { get; init; }

    /// <summary>Private IP address, once running.</summary>
    public string? PrivateIp { get; init; }

    /// <summary>The status string as sent (<c>STATUS_RUNNING</c>).</summary>
    [JsonPropertyName("status")]
    public string StatusText { get; init; } = "";

    /// <summary>The status, <see cref="InstanceStatus.Unknown"/> for a value this client does not know.</summary>
    [JsonIgnore]
    public InstanceStatus Status => StatusNames.ParseInstance(StatusText);
}
