using Etrid.Burst.Kubernetes;
using Etrid.Burst.Leadership;
using Etrid.Burst.Options;
using Etrid.Kubernetes;
using Etrid.Mithril.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Mithril.Tests.Kubernetes;

/// <summary>
/// The shared client has no short timeout of its own, so the controller bounds each of its calls
/// (<see cref="BurstKubernetes.CallTimeout"/>): against a stand-in that never answers, the HPA read and the Lease read
/// end once the virtual clock passes the bound.
/// </summary>
public sealed class CallBoundTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("burst-bound-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
    private BurstKubeApi _kube = null!;
    private KubernetesAccess _access = null!;

    public async Task InitializeAsync()
    {
        _kube = await BurstKubeApi.StartAsync();
        _kube.Silent = true;
        _access = KubernetesAccess.Create(new KubernetesAccessOptions { Mode = "kubeconfig", Kubeconfig = _kube.WriteKubeconfig(_directory) }, _ => null);
    }

    public async Task DisposeAsync()
    {
        _access.Dispose();
        await _kube.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task HpaRead_ApiSilent_EndsWithATimeoutOnceTheBoundPasses()
    {
        var capacity = _access.CreateLocalCapacity(new BurstHpaOptions(), 0, _time);

        var read = await _kube.EndsAtItsBoundAsync(() => capacity.ReadAsync(CancellationToken.None), _time, BurstKubernetes.CallTimeout);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => read);
        Assert.Contains("read hpa etrid-ai-compute/etrid-ai-gpu-scaler had no answer within 10 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaseRead_ApiSilent_EndsOnceTheBoundPasses()
    {
        var options = new BurstLeaderElectionOptions { RetryPeriod = TimeSpan.FromMilliseconds(100), RenewDeadline = TimeSpan.FromSeconds(10), LeaseDuration = TimeSpan.FromSeconds(15) };
        var leadership = _access.CreateLeadership(options, "pod-a", _time, null);
        using var stop = new CancellationTokenSource();

        var election = leadership.RunAsync(stop.Token);
        await Eventually.WaitAsync(() => _kube.Held >= 1, "the Lease read to reach the stand-in");
        Assert.Equal(0, _kube.Released);

        // The elector gives up waiting on its own and reads again, but leaves the silent read in flight: only the
        // bound ends it (the stand-in sees the client hang up).
        _time.Advance(BurstKubernetes.CallTimeout);
        await Eventually.WaitAsync(() => _kube.Released >= 1, "the first Lease read to end at its bound");
        Assert.False(leadership.IsLeading);
        await stop.CancelAsync();
        await election;
    }
}
