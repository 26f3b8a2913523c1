using System.Security.Cryptography;
using System.Text;

namespace Etrid.Burst.Boot;

/// <summary>
/// The node's first-boot script (section 9.6): bash that fails fast, writes the worker's configuration,
/// installs the worker of the given version with a systemd unit enabled at boot (so it comes back after
/// resume, relocation and re-allocation: the script itself runs once), optionally joins the tailnet with
/// Tailscale SSH, then runs the operator's script. Every value is shell-quoted.
/// </summary>
public static class BootScript
{
    /// <summary>The API's limit on <c>startup_script</c>.</summary>
    public const int MaxLength = 10_000;

    private const string Template = """
        #!/bin/bash
        # Etrid GPU worker bootstrap (generated; runs on the first boot only).
        set -euo pipefail
        install -d -m 0755 /etc/etrid
        cat > /etc/etrid/worker.env <<'ETRID_ENV'
        ETRID_NODE_NAME=@NODE@
        ETRID_POOL=@POOL@
        ETRID_CONTROLLER=@CONTROLLER@
        ETRID_WORKER_VERSION=@VERSION@
        ETRID_ENV
        chmod 0600 /etc/etrid/worker.env
        curl -fsSL --retry 5 -o /usr/local/bin/etrid-gpu-worker @URL@
        chmod 0755 /usr/local/bin/etrid-gpu-worker
        cat > /etc/systemd/system/etrid-gpu-worker.service <<'ETRID_UNIT'
        [Unit]
        Description=Etrid GPU worker
        After=network-online.target
        Wants=network-online.target
        [Service]
        EnvironmentFile=/etc/etrid/worker.env
        ExecStart=/usr/local/bin/etrid-gpu-worker
        Restart=always
        RestartSec=5
        [Install]
        WantedBy=multi-user.target
        ETRID_UNIT
        systemctl daemon-reload
        systemctl enable --now etrid-gpu-worker.service
        @TAILSCALE@
        @USER@
        """;

    /// <summary>SHA-256 hex of the template and the fixed parts of the input (no secret, no node name): part of the configuration hash.</summary>
    public static string TemplateSha256(BootScriptInput input)
    {
        var fixedParts = string.Join('\n', Template, input.Pool, input.ControllerAddress, input.AgentDownloadUrl, input.TailscaleAuthKey is null ? "no-tailscale" : "tailscale", input.TailscaleServer?.ToString() ?? "", input.UserScript ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fixedParts)));
    }

    /// <summary>The script for one node.</summary>
    public static string Render(BootScriptInput input)
    {
        var tailscale = "";
        if (!string.IsNullOrEmpty(input.TailscaleAuthKey))
        {
            var server = input.TailscaleServer is { } s ? " --login-server=" + Quote(s.ToString()) : "";
            tailscale = "command -v tailscale >/dev/null || curl -fsSL https://tailscale.com/install.sh | sh\n" +
                $"tailscale up --authkey={Quote(input.TailscaleAuthKey)} --ssh --hostname={Quote(input.NodeName)}{server}";
        }

        return Template
            .Replace("@NODE@", Quote(input.NodeName), StringComparison.Ordinal)
            .Replace("@POOL@", Quote(input.Pool), StringComparison.Ordinal)
            .Replace("@CONTROLLER@", Quote(input.ControllerAddress), StringComparison.Ordinal)
            .Replace("@VERSION@", Quote(input.AgentVersion), StringComparison.Ordinal)
            .Replace("@URL@", Quote(input.AgentDownloadUrl.Replace("{version}", input.AgentVersion, StringComparison.Ordinal)), StringComparison.Ordinal)
            .Replace("@TAILSCALE@", tailscale, StringComparison.Ordinal)
            .Replace("@USER@", input.UserScript is { Length: > 0 } user ? "# Operator's startup_script\n" + user : "", StringComparison.Ordinal)
            + "\n";
    }

    /// <summary>Problems of the rendered script with the longest possible node name (checked at start-up).</summary>
    public static IEnumerable<string> Validate(BootScriptInput input, string path)
    {
        var longest = input with { NodeName = new string('x', Naming.BidNaming.MaxNameLength) };
        var length = Render(longest).Length;
        if (length > MaxLength)
        {
            yield return $"{path}.startup_script: the boot script would be {length} characters, over the API's {MaxLength}";
        }
    }

    /// <summary>Single-quotes a value for bash: <c>it's</c> → <c>'it'\''s'</c>; newlines stay inside the quotes.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
