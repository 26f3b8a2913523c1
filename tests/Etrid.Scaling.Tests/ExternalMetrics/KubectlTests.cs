using System.Diagnostics;
using System.Text.Json.Nodes;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Tests.Support;
using Etrid.Scaling.Tls;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.ExternalMetrics;

/// <summary>The real kubectl reads the API through a kubeconfig with a client certificate.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ApiHarness _api = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        var credentials = LocalClientCredentials.Create(_dir.Path);
        var options = new ExternalMetricsOptions
        {
            Listen = "https://127.0.0.1:0",
            Authentication = new ExternalMetricsAuthenticationOptions { ClientCaFile = credentials.ClientCaFile },
        };
        _api = await ApiHarness.StartAsync(Figures.FreshHub(_time, Figures.Make(pending: 57)), options);
        _kubeconfig = credentials.WriteKubeconfig(_api.ApiUrl, _api.ServingCertificate.ExportCertificatePem());
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task KubectlGetRaw_Discovery_ListsTheMetrics()
    {
        var body = JsonNode.Parse(await KubectlAsync("get", "--raw", "/apis/external.metrics.k8s.io/v1beta1"))!;

        Assert.Contains("etrid_job_queue_depth", body["resources"]!.AsArray().Select(r => (string)r!["name"]!));
    }

    [Fact]
    public async Task KubectlGetRaw_Data_GivesTheValue()
    {
        var body = JsonNode.Parse(await KubectlAsync("get", "--raw", "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/etrid_job_queue_depth?labelSelector=status%3Dpending"))!;

        Assert.Equal("57", (string?)body["items"]![0]!["value"]);
    }

    [Fact]
    public async Task PrintedCommand_WorksAsPrinted()
    {
        var command = LocalClientCredentials.KubectlCommand(_kubeconfig);

        var body = JsonNode.Parse(await ShellAsync(command))!;

        Assert.Equal("57", (string?)body["items"]![0]!["value"]);
    }

    private async Task<string> ShellAsync(string command)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["HOME"] = _dir.Path;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"'{command}' failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    private async Task<string> KubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = _dir.Path;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"kubectl failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
