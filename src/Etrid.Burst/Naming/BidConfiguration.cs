namespace Etrid.Burst.Naming;

/// <summary>What a bid is made with and what a resumed node boots with: the inputs of the configuration hash.</summary>
public sealed record BidConfiguration
{
    /// <summary>Pool name.</summary>
    public required string Pool { get; init; }

    /// <summary>Project FID.</summary>
    public required string Project { get; init; }

    /// <summary>Region.</summary>
    public required string Region { get; init; }

    /// <summary>Instance type FID.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Limit sent, in cents per instance-hour.</summary>
    public required long LimitCents { get; init; }

    /// <summary>SSH key FIDs (order does not matter).</summary>
    public IReadOnlyList<string> SshKeys { get; init; } = [];

    /// <summary>Worker version installed.</summary>
    public required string AgentVersion { get; init; }

    /// <summary>Memory in GB, when set.</summary>
    public int? MemoryGb { get; init; }

    /// <summary>SHA-256 hex of the boot-script template (secrets and the bid name excluded).</summary>
    public required string BootTemplateSha256 { get; init; }
}
