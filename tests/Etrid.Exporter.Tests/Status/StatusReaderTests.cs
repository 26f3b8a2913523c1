using System.Text.Json;
using System.Text.Json.Nodes;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Snapshots;
using Etrid.Exporter.Status;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Exporter.Tests.Status;

public sealed class StatusReaderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));

    private static ProviderFigures Provider(string address, int gpus, long jobs) => new(address, gpus, gpus, gpus / 2, 50, jobs, 1.5);

    private StatusReader Reader(IChainSnapshotSource source, params IStatusSection[] sections) => new(source, _time, "ai-compute", sections);

    [Fact]
    public void Read_FreshSnapshot_IsReady_WithTheChainAndFigures()
    {
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures());
        _time.Advance(TimeSpan.FromSeconds(3));

        var status = Reader(hub).Read();

        Assert.True(status.Ready);
        Assert.Equal("ok", status.Reason);
        Assert.Equal(100u, status.Chain.Snapshot!.Block);
        Assert.Equal(3.0, status.Chain.Snapshot.AgeSeconds);
        Assert.Equal(3.0, status.Chain.FinalizedAgeSeconds);
        Assert.Equal(23, status.Figures!.JobsByStatus["pending"]);
        Assert.Equal(8, status.Figures.GpusByStatus["active"]);
    }

    [Fact]
    public void Read_StaleSnapshot_IsNotReady_AndSaysWhy()
    {
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures());
        _time.Advance(TimeSpan.FromMinutes(5));

        var status = Reader(hub).Read();

        Assert.False(status.Ready);
        Assert.NotEqual("ok", status.Reason);
        Assert.NotEmpty(status.Reason);
        Assert.NotNull(status.Figures);
    }

    [Fact]
    public void Read_BeforeTheFirstSnapshot_HasNoFigures_AndIsNotReady()
    {
        var status = Reader(new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time)).Read();

        Assert.False(status.Ready);
        Assert.Null(status.Figures);
        Assert.Null(status.Chain.Snapshot);
        Assert.Equal(0, status.Providers.Count);
    }

    [Fact]
    public void Read_ListsTheLargestProviders_AndCountsAll()
    {
        var random = new Random(7);
        var providers = Enumerable.Range(0, 60).Select(i => Provider($"5Provider{i:D2}", random.Next(1, 9), random.Next(0, 500))).ToArray();
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures(300, providers));

        var status = Reader(hub).Read(topProviders: 5);

        // Largest by registered GPUs, then by jobs completed, then by address.
        var expected = providers.OrderBy(p => -p.RegisteredGpus).ThenBy(p => -p.JobsCompleted).ThenBy(p => p.Address, StringComparer.Ordinal).Take(5).Select(p => p.Address);
        Assert.Equal(expected, status.Providers.Top.Select(p => p.Address));
        Assert.Equal(60, status.Providers.Count);
        Assert.Equal(StatusReader.MaxTopProviders, Reader(StatusFixtures.FreshHub(_time, StatusFixtures.Figures(300, [.. Enumerable.Range(0, 500).Select(i => Provider($"p{i}", 1, i))]))).Read(topProviders: 100_000).Providers.Top.Count);
    }

    [Fact]
    public void ReadJson_UsesSnakeCase_AndWritesNoCompletionsAsNull()
    {
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures(duration: double.NaN));

        using var json = JsonDocument.Parse(Reader(hub).ReadJson());

        var root = json.RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal("ai-compute", root.GetProperty("pbc").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("figures").GetProperty("average_duration_seconds").ValueKind);
        Assert.Equal(12.5, root.GetProperty("figures").GetProperty("average_wait_seconds").GetDouble());
        Assert.Equal(102, root.GetProperty("chain").GetProperty("best_block").GetInt32());
        Assert.Equal(23, root.GetProperty("figures").GetProperty("jobs_by_status").GetProperty("pending").GetInt64());
    }

    [Fact]
    public void ReadJson_AddsEachSection_ByName()
    {
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures());
        var reader = Reader(
            hub,
            new StatusSection("burst", () => JsonNode.Parse(StatusFixtures.BurstJson)),
            new StatusSection("typed", () => new { DesiredGpus = 4, Pool = new { SpotUsdPerGpuHour = 1.1 } }),
            new StatusSection("quiet", () => null));

        using var json = JsonDocument.Parse(reader.ReadJson());

        var root = json.RootElement;
        Assert.Equal("bid_7f3a", root.GetProperty("burst").GetProperty("pools")[0].GetProperty("bids")[0].GetProperty("fid").GetString());
        Assert.Equal(4, root.GetProperty("typed").GetProperty("desired_gpus").GetInt32());
        Assert.Equal(1.1, root.GetProperty("typed").GetProperty("pool").GetProperty("spot_usd_per_gpu_hour").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("quiet").ValueKind);
    }

    [Fact]
    public void ReadJson_AFailingSection_ReportsItsErrorInItsPlace_AndTheRestStands()
    {
        var hub = StatusFixtures.FreshHub(_time, StatusFixtures.Figures());
        var reader = Reader(hub, new StatusSection("burst", () => throw new InvalidOperationException("controller not started")));

        using var json = JsonDocument.Parse(reader.ReadJson());

        Assert.Contains("controller not started", json.RootElement.GetProperty("burst").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("ready").GetBoolean());
    }

    [Theory]
    [InlineData("burst", "burst")]
    [InlineData("chain", null)]
    public void Constructor_ASectionNameTakenTwice_Throws(string first, string? second)
    {
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time);
        IStatusSection[] sections = second is null ? [new StatusSection(first, () => 1)] : [new StatusSection(first, () => 1), new StatusSection(second, () => 2)];
        Assert.Throws<InvalidOperationException>(() => Reader(hub, sections));
    }
}
