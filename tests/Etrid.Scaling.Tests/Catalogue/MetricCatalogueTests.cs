using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Selectors;
using Etrid.Scaling.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Etrid.Scaling.Tests.Catalogue;

public sealed class MetricCatalogueTests
{
    private static readonly ProviderFigures Alice = new("5Alice", 4, 4, 3, 75, 10, 1.5);
    private static readonly ProviderFigures Bob = new("5Bob", 2, 1, 0, 0, 0, 0);
    private readonly FakeTimeProvider _time = new(Figures.Epoch);
    private readonly MetricCatalogue _catalogue = new("ai-compute");

    private SnapshotReading Fresh(ChainFigures? figures = null) =>
        Figures.FreshHub(_time, figures ?? Figures.Make(providers: [Alice, Bob])).Read();

    [Theory]
    [InlineData("etrid_job_queue_depth", "status=pending", 23)]
    [InlineData("etrid_job_queue_depth", "", 23)]
    [InlineData("etrid_jobs_per_active_gpu", "", 1.75)]
    [InlineData("etrid_avg_job_wait_seconds", "pbc=ai-compute", 12.5)]
    [InlineData("etrid_avg_job_duration_seconds", "", 300)]
    [InlineData("etrid_gpus", "status=active", 8)]
    [InlineData("etrid_gpus", "status in (paused,offline)", 3)]
    [InlineData("etrid_gpus", "", 11)]
    [InlineData("etrid_gpu_utilization_percent", "provider=5Alice", 75)]
    [InlineData("etrid_gpu_utilization_percent", "provider", 75)]
    public void Query_FreshFigures_SumsTheMatchingItems(string metric, string selector, double sum)
    {
        var answer = _catalogue.Query(Fresh(), metric, LabelSelector.Parse(selector));

        Assert.Equal(MetricOutcome.Ok, answer.Outcome);
        Assert.Equal(sum, answer.Items.Sum(i => i.Value), 9);
    }

    [Fact]
    public void Query_QueueDepth_IsOneItemLabelledPending()
    {
        var item = Assert.Single(_catalogue.Query(Fresh(), "etrid_job_queue_depth", LabelSelector.Everything).Items);

        Assert.Equal(new Dictionary<string, string> { ["pbc"] = "ai-compute", ["status"] = "pending" }, item.Labels);
    }

    [Fact]
    public void Query_Gpus_OneItemPerStatusWithPbc()
    {
        var items = _catalogue.Query(Fresh(), "etrid_gpus", LabelSelector.Everything).Items;

        Assert.Equal(["active", "offline", "paused", "slashed"], items.Select(i => i.Labels["status"]).Order());
        Assert.All(items, i => Assert.Equal("ai-compute", i.Labels["pbc"]));
    }

    [Fact]
    public void Query_Utilisation_OneItemPerProvider()
    {
        var items = _catalogue.Query(Fresh(), "etrid_gpu_utilization_percent", LabelSelector.Everything).Items;

        Assert.Equal(["5Alice", "5Bob"], items.Select(i => i.Labels["provider"]).Order());
    }

    [Theory]
    [InlineData("ETRID_JOB_QUEUE_DEPTH")]
    [InlineData("Etrid_Job_Queue_Depth")]
    public void Query_NameInAnyCase_FindsTheLowerCaseMetric(string name)
    {
        var answer = _catalogue.Query(Fresh(), name, LabelSelector.Everything);

        Assert.Equal(MetricOutcome.Ok, answer.Outcome);
        Assert.Equal("etrid_job_queue_depth", answer.MetricName);
    }

    [Fact]
    public void Query_SelectorMatchingNothing_IsOkWithNoItems()
    {
        var answer = _catalogue.Query(Fresh(), "etrid_job_queue_depth", LabelSelector.Parse("pbc=other"));

        Assert.Equal(MetricOutcome.Ok, answer.Outcome);
        Assert.Empty(answer.Items);
    }

    [Fact]
    public void Query_EmptyQueue_IsAZeroItem()
    {
        var item = Assert.Single(_catalogue.Query(Fresh(Figures.Make(pending: 0)), "etrid_job_queue_depth", LabelSelector.Everything).Items);

        Assert.Equal(0, item.Value);
    }

    [Theory]
    [InlineData("etrid_foo")]
    [InlineData("")]
    [InlineData("etrid_job_queue_depth ")]
    public void Query_UnknownMetric_IsUnknownEvenWhenStale(string name)
    {
        var answer = _catalogue.Query(new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time).Read(), name, LabelSelector.Everything);

        Assert.Equal(MetricOutcome.UnknownMetric, answer.Outcome);
    }

    [Fact]
    public void Query_StaleFigures_IsUnavailableWithTheSourcesReason()
    {
        var hub = Figures.FreshHub(_time, Figures.Make());
        _time.Advance(TimeSpan.FromSeconds(61));
        var reading = hub.Read();

        var answer = _catalogue.Query(reading, "etrid_job_queue_depth", LabelSelector.Everything);

        Assert.Equal(MetricOutcome.Unavailable, answer.Outcome);
        Assert.Contains(reading.Reason, answer.Message, StringComparison.Ordinal);
        Assert.Empty(answer.Items);
    }

    [Fact]
    public void Query_NoSnapshot_IsUnavailable()
    {
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60), _time);
        hub.UpdateHealth(h => h with { Connected = true });

        Assert.Equal(MetricOutcome.Unavailable, _catalogue.Query(hub.Read(), "etrid_gpus", LabelSelector.Everything).Outcome);
    }

    [Fact]
    public void Query_DurationWithoutCompletedJobs_IsAnInvalidValue()
    {
        var answer = _catalogue.Query(Fresh(Figures.Make(duration: double.NaN)), "etrid_avg_job_duration_seconds", LabelSelector.Everything);

        Assert.Equal(MetricOutcome.InvalidValue, answer.Outcome);
        Assert.Contains("no job completed", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_SubsetEnabled_ServesOnlyThose()
    {
        var catalogue = new MetricCatalogue("ai-compute", ["etrid_gpus", "ETRID_JOB_QUEUE_DEPTH"]);

        Assert.Equal(["etrid_gpus", "etrid_job_queue_depth"], catalogue.Names);
        Assert.Null(catalogue.Resolve("etrid_avg_job_wait_seconds"));
    }

    [Fact]
    public void Constructor_UnknownEnabledMetric_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MetricCatalogue("ai-compute", ["etrid_nope"]));
    }
}
