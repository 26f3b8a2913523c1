namespace Etrid.Burst.Boot;

/// <summary>What the boot script of one node needs; secrets (the Tailscale key) are only ever in the rendered text.</summary>
public sealed record BootScriptInput
{
    /// <summary>The node's name: its bid's name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The pool the node belongs to.</summary>
    public required string Pool { get; init; }

    /// <summary>Where the worker reports (the controller's address as the worker should dial it).</summary>
    public required string ControllerAddress { get; init; }

    /// <summary>Worker version to install.</summary>
    public required string AgentVersion { get; init; }

    /// <summary>Download URL of the worker binary; <c>{version}</c> is replaced by the version.</summary>
    public required string AgentDownloadUrl { get; init; }

    /// <summary>Tailscale pre-auth key; null skips Tailscale.</summary>
    public string? TailscaleAuthKey { get; init; }

    /// <summary>Tailscale login server; null uses Tailscale's.</summary>
    public Uri? TailscaleServer { get; init; }

    /// <summary>The operator's script, appended last.</summary>
    public string? UserScript { get; init; }
}
