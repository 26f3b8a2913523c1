using System.Diagnostics;
using Etrid.Mithril.Boot;

namespace Etrid.Mithril.Tests.Boot;

public sealed class BootScriptTests
{
    private static readonly BootScriptInput Input = new()
    {
        NodeName = "etrid-h100-0123abcd-k2x7q",
        Pool = "h100",
        ControllerAddress = "https://exporter.example:9090",
        AgentVersion = "1.2.3",
        AgentDownloadUrl = "https://downloads.example/worker/{version}/etrid-gpu-worker",
    };

    [Fact]
    public void Render_StartsWithBashAndFailsFast_InstallsTheWorkerAsAUnit()
    {
        var script = BootScript.Render(Input);

        Assert.StartsWith("#!/bin/bash\n", script, StringComparison.Ordinal);
        Assert.Contains("set -euo pipefail", script, StringComparison.Ordinal);
        Assert.Contains("ETRID_NODE_NAME='etrid-h100-0123abcd-k2x7q'", script, StringComparison.Ordinal);
        Assert.Contains("'https://downloads.example/worker/1.2.3/etrid-gpu-worker'", script, StringComparison.Ordinal);
        Assert.Contains("systemctl enable --now etrid-gpu-worker.service", script, StringComparison.Ordinal);
        Assert.DoesNotContain("tailscale up", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithTailscale_JoinsWithSshAndTheServerOnlyWhenSet()
    {
        var plain = BootScript.Render(Input with { TailscaleAuthKey = "tskey-abc" });
        var headscale = BootScript.Render(Input with { TailscaleAuthKey = "tskey-abc", TailscaleServer = new Uri("https://hs.example/") });

        Assert.Contains("tailscale up --authkey='tskey-abc' --ssh", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("--login-server", plain, StringComparison.Ordinal);
        Assert.Contains("--login-server='https://hs.example/'", headscale, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UserScriptComesLast()
    {
        var script = BootScript.Render(Input with { UserScript = "echo operator-was-here" });

        Assert.True(script.IndexOf("echo operator-was-here", StringComparison.Ordinal) > script.IndexOf("systemctl enable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("$(touch /tmp/pwned) `id` ; rm -rf / && echo")]
    [InlineData("line1\nline2")]
    [InlineData("'''")]
    public void Quote_BashReadsTheValueBackVerbatim(string value)
    {
        if (!File.Exists("/bin/bash"))
        {
            return; // bash is on every Linux machine this runs on; elsewhere there is nothing to check against
        }

        using var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", "printf %s " + BootScript.Quote(value)]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(value, output);
    }

    [Fact]
    public void Render_IsValidBashSyntax()
    {
        if (!File.Exists("/bin/bash"))
        {
            return;
        }

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, BootScript.Render(Input with { TailscaleAuthKey = "k'ey", TailscaleServer = new Uri("https://hs.example/"), UserScript = "echo done" }));
            using var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-n", path]) { RedirectStandardError = true })!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_TooLongWithTheLongestName_IsAProblem()
    {
        Assert.Empty(BootScript.Validate(Input, "mithril_auto"));
        var problem = Assert.Single(BootScript.Validate(Input with { UserScript = new string('#', 9_500) }, "mithril_auto"));
        Assert.StartsWith("mithril_auto.startup_script:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateSha256_IgnoresTheNodeNameAndTheSecret_ButNotTheUserScript()
    {
        var a = BootScript.TemplateSha256(Input with { TailscaleAuthKey = "one" });
        Assert.Equal(a, BootScript.TemplateSha256(Input with { TailscaleAuthKey = "two", NodeName = "other" }));
        Assert.NotEqual(a, BootScript.TemplateSha256(Input with { TailscaleAuthKey = "one", UserScript = "echo" }));
    }
}
