using System.Globalization;
using System.Text.Json.Nodes;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;
using Etrid.Burst.Status;
using Etrid.Exporter.Status;
using Etrid.Exporter.Status.History;
using Etrid.Exporter.Tests.Support;
using Etrid.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Exporter.Tests.Status;

/// <summary>The status page in a real browser (Debian's headless chromium, driven by PuppeteerSharp).</summary>
[Trait("Category", "EndToEnd")]
public sealed class StatusPageBrowserTests
{
    private const int Generous = 90;

    [Fact]
    public async Task Demo_PageUpdatesLive_WithoutAReload_AndReportsNoConsoleError()
    {
        await using var demo = ExporterProcess.Start(["demo", "--listen", "127.0.0.1:0", "--chain-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--scaler-listen", "127.0.0.1:0", "--market-listen", "127.0.0.1:0", "--block-time", "500ms"], null, ExporterProcess.Dev);
        var line = await demo.WaitForLineAsync("status page", Generous);
        var url = new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..].Trim());
        using (var http = new HttpClient { BaseAddress = url })
        {
            await Eventually.WaitAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "the demo to be ready", Generous);
        }

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(url);
        // A marker on the window: a reload would drop it.
        await browser.EvaluateAsync<bool>("window.notReloaded = true");
        var first = await BlockAsync(browser);
        await Eventually.WaitAsync(async () => await BlockAsync(browser) is { } now && now != first, "the block number on the page to move", Generous);
        Assert.True(await browser.EvaluateAsync<bool>("window.notReloaded === true"), "the page reloaded");
        Assert.Equal("Ready", await browser.EvaluateAsync<string>("document.querySelector('#verdict b').textContent"));
        Assert.Equal("live", await browser.EvaluateAsync<string>("document.getElementById('live').textContent"));

        // A call to the external metrics API (the command the demo prints) shows among the last requests, live.
        var command = (await demo.WaitForLineAsync("try: kubectl", Generous))["try: ".Length..].Trim();
        using (var kubectl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            var errors = kubectl.StandardError.ReadToEndAsync();
            await kubectl.StandardOutput.ReadToEndAsync();
            await kubectl.WaitForExitAsync();
            Assert.True(kubectl.ExitCode == 0, await errors);
        }

        await Eventually.WaitAsync(
            async () => (await browser.EvaluateAsync<string>("document.getElementById('scaling').innerText") ?? string.Empty).Contains("etrid_job_queue_depth", StringComparison.Ordinal),
            "the API request on the page",
            Generous);
        Assert.True(await browser.EvaluateAsync<bool>("window.notReloaded === true"), "the page reloaded");

        // The README's picture: the demo's burst on the charts (the queue rose, burst GPUs arrived, the queue
        // drained to under half its peak), with the decisions marked.
        await Eventually.WaitAsync(async () => await browser.EvaluateAsync<bool>(BurstDrawn), "the demo's burst on the charts", 600);
        Assert.True(await browser.EvaluateAsync<int>("document.querySelectorAll('#chart-gpus .mark').length") > 0, "no burst decision is marked");
        Assert.True(await browser.EvaluateAsync<bool>("window.notReloaded === true"), "the page reloaded");

        // The page for the README, as a desktop browser shows it.
        await browser.SetViewportAsync(1280, 900);
        var height = await browser.EvaluateAsync<int>("document.documentElement.scrollHeight");
        await browser.SetViewportAsync(1280, Math.Min(height, 4000));
        var screenshot = await browser.ScreenshotAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, screenshot[..4]);
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "status-page.png"), screenshot);

        // On a phone the page fits its width: nothing but the wide tables scrolls sideways.
        await browser.SetViewportAsync(390, 844, mobile: true);
        await Eventually.WaitAsync(async () => await PointsDrawnAsync(browser) is not null, "the charts drawn on the phone", Generous);
        Assert.True(await browser.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a phone");
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "status-page-phone.png"), await browser.ScreenshotAsync());

        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task BurstSection_IsRendered_WithRemoteTextAsText_AndFollowsNewSnapshots()
    {
        var time = TimeProvider.System;
        var hub = StatusFixtures.FreshHub(time, StatusFixtures.Figures(300, new Etrid.AiCompute.Figures.ProviderFigures(StatusFixtures.Hostile, 4, 4, 2, 50, 10, 1)), block: 500);
        await using var app = await StatusPageHost.StartAsync(hub, time, s => s.AddStatusSection("burst", _ => () => JsonNode.Parse(StatusFixtures.BurstJsonWithHostileReason())));
        var url = new Uri(app.Urls.First());

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(url);
        await Eventually.WaitAsync(async () => await browser.EvaluateAsync<string>("document.getElementById('live').textContent") == "live", "the live feed to open", Generous);

        var burst = await browser.EvaluateAsync<string>("document.getElementById('burst').innerText") ?? string.Empty;
        // Pools, bids, the last decisions with their reasons, budget and spend, failures: as the section says.
        foreach (var expected in new[] { "a100-pool", "it_a100_8x", "h100-pool", "price above limit", "bid_7f3a", "etrid-burst-a100-1", "STATUS_RUNNING", "pending 57 > capacity 8 for 61 s", "breach_sustained", "$12.50", "$50.00", "$9.10", "$3.20", "scale up: breach held 61 s", "marketplace answered 502", "pod-a" })
        {
            Assert.Contains(expected, burst, StringComparison.Ordinal);
        }

        // Text from remote parties is shown as text, never made into markup.
        Assert.Contains(StatusFixtures.Hostile, burst, StringComparison.Ordinal);
        Assert.Equal(0, await browser.EvaluateAsync<int>("document.querySelectorAll('main img').length"));
        Assert.Null(await browser.EvaluateAsync<int?>("window.pwned"));
        Assert.Contains(StatusFixtures.Hostile, await browser.EvaluateAsync<string>("document.getElementById('app').innerText") ?? string.Empty, StringComparison.Ordinal);

        // A new snapshot reaches the open page.
        Assert.Equal("500", await BlockAsync(browser));
        hub.UpdateHealth(h => h with { LastFinalizedAt = time.GetUtcNow(), FinalizedBlock = 501 });
        hub.Publish(StatusFixtures.Snapshot(StatusFixtures.Figures(), time.GetUtcNow(), 501));
        await Eventually.WaitAsync(async () => await BlockAsync(browser) == "501", "block 501 on the page", Generous);
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "status-page-burst.png"), await browser.ScreenshotAsync());

        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task Trends_AreDrawn_FollowNewSnapshotsLive_AndMarkEachBurstDecision()
    {
        var time = TimeProvider.System;
        var now = time.GetUtcNow();
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60), time);
        hub.UpdateHealth(h => h with { Connected = true, ChainName = "Dev", Endpoint = "ws://127.0.0.1:9944", BestBlock = 120, LastFinalizedAt = now, FinalizedBlock = 110 });
        var burst = new SettableBurstStatus(new BurstStatus { Enabled = true, Leading = true, LocalGpus = 8, BudgetUsdPerHour = 50 });
        await using var app = await StatusPageHost.StartAsync(hub, time, s => s.AddSingleton<IBurstStatusSource>(burst).AddStatusHistory());
        var history = app.Services.GetRequiredService<StatusHistory>();

        // Ten minutes of a rising queue, six seconds apart (each taken in before the next is published).
        for (var i = 0; i < 5; i++)
        {
            await PublishAsync(hub, history, Queue(20 + (i * 10)), now.AddSeconds(-6 * (5 - i)), (uint)(100 + i));
        }

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(app.Urls.First()));
        await browser.EvaluateAsync<bool>("window.notReloaded = true");
        await Eventually.WaitAsync(async () => await PointsDrawnAsync(browser) == "5", "the five points drawn", Generous);
        Assert.Equal(3, await browser.EvaluateAsync<int>("document.querySelectorAll('#trends svg').length"));
        // Five points make a line of five vertices: one move, four lines.
        Assert.Equal(4, await browser.EvaluateAsync<int>("(document.querySelector('#chart-queue path.line.c-pending').getAttribute('d').match(/L/g) || []).length"));
        Assert.Equal(0, await browser.EvaluateAsync<int>("document.querySelectorAll('#trends .mark').length"));

        // The controller decides (its reason from a remote party); the next snapshot brings point and decision, live.
        burst.Current = burst.Current with
        {
            DesiredGpus = 16,
            CurrentGpus = 8,
            SpendRateUsdPerHour = 9.1m,
            CommittedUsdPerHour = 12.5m,
            Decisions = [new BurstDecision { At = now, Pool = "a100-pool", Action = "create", ReasonCode = "breach_sustained", Reason = "pending 57 > capacity 8 for 61 s " + StatusFixtures.Hostile }],
        };
        await PublishAsync(hub, history, Queue(57), now, 105);

        await Eventually.WaitAsync(async () => await PointsDrawnAsync(browser) == "6", "the sixth point drawn without a reload", Generous);
        Assert.True(await browser.EvaluateAsync<bool>("window.notReloaded === true"), "the page reloaded");
        foreach (var chart in new[] { "chart-queue", "chart-gpus", "chart-spend" })
        {
            var tip = await browser.EvaluateAsync<string>($"document.querySelector('#{chart} .mark.create title').textContent");
            Assert.Contains("create a100-pool: pending 57 > capacity 8 for 61 s", tip, StringComparison.Ordinal);
        }

        Assert.Contains("pending 57 > capacity 8 for 61 s " + StatusFixtures.Hostile, await browser.EvaluateAsync<string>("document.querySelector('#trends ol.marks').innerText") ?? string.Empty, StringComparison.Ordinal);
        Assert.Null(await browser.EvaluateAsync<int?>("window.pwned"));
        Assert.Equal(1, await browser.EvaluateAsync<int>("document.querySelectorAll('#chart-gpus path.area.c-burst').length"));
        Assert.Equal(1, await browser.EvaluateAsync<int>("document.querySelectorAll('#chart-spend path.line.c-budget').length"));

        // On a phone (PuppeteerSharp reloads the page to emulate one) the charts take the phone's width and nothing scrolls sideways.
        await browser.SetViewportAsync(390, 844, mobile: true);
        await Eventually.WaitAsync(async () => await browser.EvaluateAsync<int>("(function () { var e = document.querySelector('#chart-gpus .mark.create'); return e ? Number(e.ownerSVGElement.getAttribute('width')) : 0; })()") is > 0 and <= 390, "the charts drawn for the phone", Generous);
        Assert.True(await browser.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a phone");
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "status-page-trends-phone.png"), await browser.ScreenshotAsync());

        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task NoBurstSection_NoBurstCard()
    {
        var time = TimeProvider.System;
        var hub = StatusFixtures.FreshHub(time, StatusFixtures.Figures());
        await using var app = await StatusPageHost.StartAsync(hub, time);

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(app.Urls.First()));
        await Eventually.WaitAsync(async () => await BlockAsync(browser) == "100", "the figures on the page", Generous);

        Assert.False(await browser.EvaluateAsync<bool>("document.getElementById('burst') !== null"));
        Assert.Contains("Off.", await browser.EvaluateAsync<string>("document.getElementById('app').innerText") ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(browser.Problems);
    }

    [Fact]
    public async Task StoppingTheHost_EndsAnOpenFeed_Cleanly()
    {
        var time = TimeProvider.System;
        var hub = StatusFixtures.FreshHub(time, StatusFixtures.Figures());
        await using var app = await StatusPageHost.StartAsync(hub, time);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/status/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: status", await reader.ReadLineAsync());
        Assert.StartsWith("data: {", await reader.ReadLineAsync(), StringComparison.Ordinal);

        var stopped = app.StopAsync();

        // The feed ends as a finished response (end of stream), not as a connection cut when the shutdown timeout runs out.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(Generous));
        while (await reader.ReadLineAsync(limit.Token) is not null)
        {
        }

        await stopped;
    }

    [Fact]
    public async Task TheBrowserHarness_ReportsConsoleErrorsAndUncaughtExceptions()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri("about:blank"));

        await browser.EvaluateAsync<bool>("console.error('first problem'); setTimeout(function () { throw new Error('second problem'); }, 0); true");

        await Eventually.WaitAsync(() => browser.Problems.Count >= 2, "both problems to be reported", Generous);
        Assert.Contains(browser.Problems, p => p.Contains("first problem", StringComparison.Ordinal));
        Assert.Contains(browser.Problems, p => p.Contains("second problem", StringComparison.Ordinal));
    }

    // In the page's history: a decision that created a bid, burst GPUs running, and the queue now under half its peak.
    private const string BurstDrawn = """
        (function () {
          var h = window.etridTrend && window.etridTrend();
          if (!h || !h.points.length || !h.decisions.some(function (d) { return d.action === 'create'; })) { return false; }
          var peak = 0, ran = false;
          h.points.forEach(function (p) { peak = Math.max(peak, p.pending); ran = ran || p.burst_running_gpus > 0; });
          var last = h.points[h.points.length - 1];
          return ran && peak > 0 && last.pending < peak / 2 && document.querySelectorAll('#chart-gpus .mark').length > 0;
        })()
        """;

    private static async Task PublishAsync(ChainSnapshotHub hub, StatusHistory history, ChainFigures figures, DateTimeOffset at, uint block)
    {
        hub.Publish(StatusFixtures.Snapshot(figures, at, block));
        await Eventually.WaitAsync(() => history.Read().Points is { Count: > 0 } p && p[^1].Block == block, $"block {block} in the history", Generous);
    }

    private static Task<string?> PointsDrawnAsync(HeadlessChromium browser) =>
        browser.EvaluateAsync<string>("(function () { var e = document.getElementById('chart-queue'); return e ? e.getAttribute('data-points') : null; })()");

    private static ChainFigures Queue(long pending) => StatusFixtures.Figures() with
    {
        JobsByStatus = new Dictionary<JobStatus, long> { [JobStatus.Pending] = pending, [JobStatus.Processing] = 8, [JobStatus.Completed] = 100 },
    };

    private static async Task<string?> BlockAsync(HeadlessChromium browser) =>
        (await browser.EvaluateAsync<string>("(document.getElementById('block') || {}).textContent || null"))?.Replace(",", string.Empty, StringComparison.Ordinal).Trim() is { Length: > 0 } text
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? text : null;
}
