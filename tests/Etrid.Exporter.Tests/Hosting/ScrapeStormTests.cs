using System.Net;
using System.Threading.RateLimiting;
using Etrid.Exporter.Metrics;
using Etrid.Exporter.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>Issue 16, item 3: scrapes beyond the limit wait or are refused, and the probes answer all the while.</summary>
public sealed class ScrapeStormTests : IAsyncLifetime
{
    private const int Limit = 2;

    // A gate of two (and two waiting) whose waiting scrapes wait long enough never to be refused by the clock in this test.
    private readonly ScrapeGate _gate = new(Limit, TimeProvider.System, queueWait: TimeSpan.FromMinutes(5), maxWaiting: Limit);
    private DevChainHarness _dev = null!;
    private ExporterHarness _exporter = null!;

    public async Task InitializeAsync()
    {
        _dev = await DevChainHarness.StartAsync(jobs: 200, gpus: 20);
        _dev.Chain.ProduceBlocks(3);
        _exporter = await ExporterHarness.StartAsync([_dev.Url], b => b.Services.AddSingleton(_gate));
        await Eventually.WaitAsync(async () => await _exporter.StatusAsync("/readyz") == 200, "ready");
    }

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        await _dev.DisposeAsync();
        _gate.Dispose();
    }

    [Fact]
    public async Task WhileTheLimitIsHeld_ScrapesWait_OneBeyondIs503_AndTheProbesAnswer()
    {
        // Two scrapes in progress (held here as a scraper that reads slowly would hold them).
        var held = new List<RateLimitLease>();
        for (var i = 0; i < Limit; i++)
        {
            held.Add(await _gate.EnterAsync(CancellationToken.None));
        }

        Assert.All(held, l => Assert.True(l.IsAcquired));
        using var scrapers = new HttpClient { BaseAddress = _exporter.Url };
        var waiting = Enumerable.Range(0, Limit).Select(_ => scrapers.GetAsync("/metrics")).ToList();
        await Eventually.WaitAsync(() => _gate.Waiting == Limit, "two scrapes waiting for a turn");

        // The gate is full (two served, two waiting): one more is refused at once.
        using (var refused = await _exporter.Http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            Assert.Contains("max_concurrent_scrapes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The probes answer while the scrapes are held.
        Assert.Equal(200, await _exporter.StatusAsync("/livez"));
        Assert.Equal(200, await _exporter.StatusAsync("/readyz"));
        Assert.Equal(200, await _exporter.StatusAsync("/healthz"));
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // The held scrapes end: the waiting ones are served in full.
        held.ForEach(l => l.Dispose());
        foreach (var response in await Task.WhenAll(waiting))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var text = await response.Content.ReadAsStringAsync();
                Assert.Contains("etrid_job_queue_depth{pbc=\"ai-compute\",status=\"pending\"}", text, StringComparison.Ordinal);
                Assert.EndsWith("\n", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ManyConcurrentScrapes_AreEachServedOrRefused_AndTheProbesAnswerAmongThem()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 200 };
        using var storm = new HttpClient(handler) { BaseAddress = _exporter.Url };
        var scrapes = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await storm.GetAsync("/metrics");
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Complete: text.Contains("etrid_exporter_build_info", StringComparison.Ordinal));
        }).ToList();

        // Probes on their own connection, while the scrapes are in flight.
        var probes = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            probes.Add(await _exporter.StatusAsync(i % 2 == 0 ? "/livez" : "/readyz"));
        }

        var results = await Task.WhenAll(scrapes);
        Assert.All(probes, p => Assert.Equal(200, p));
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.ServiceUnavailable || (r.StatusCode == HttpStatusCode.OK && r.Complete), $"{r.StatusCode}, complete {r.Complete}"));
        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.OK);
    }
}
