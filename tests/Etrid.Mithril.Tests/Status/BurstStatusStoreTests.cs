using Etrid.Burst.Capacity;
using Etrid.Burst.Control;
using Etrid.Burst.Market;
using Etrid.Burst.Options;
using Etrid.Burst.Policy;
using Etrid.Burst.Status;
using Etrid.Mithril.Options;

namespace Etrid.Mithril.Tests.Status;

public sealed class BurstStatusStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LocalCapacity Local = new(8, true, "configuration");

    private static MithrilAutoOptions Options() => new()
    {
        Enabled = true,
        MaxHourlySpendUsd = 50m,
        PoolDetails = [new PoolOptions { PoolName = "h100", InstanceType = "it_h100x8", LimitPricePerGpuHour = 3.5m }],
    };

    private static ObservedBid Bid(string fid, BidStatus status) => new()
    {
        Fid = fid,
        Name = "etrid-h100-0123abcd-" + fid[^5..],
        Status = status,
        IsCurrent = true,
        CreatedAt = T0,
        LimitCents = 2800,
        InstanceRunning = status == BidStatus.Allocated,
        InstanceStatus = status == BidStatus.Allocated ? "STATUS_RUNNING" : null,
    };

    private static TickReport Report(DateTimeOffset at, long spotCents, params ObservedBid[] bids) =>
        new(at, new GateDecision(0, "steady", GateState.Initial), [], [], [], [], false)
        {
            Pools = [new PoolInput { PoolName = "h100", GpusPerNode = 8, LimitCents = 2800, SpotPriceCents = spotCents, Bids = bids }],
        };

    [Fact]
    public void Cost_IsTheSpendRateHeldBetweenTicks_AndCommittedIsTheLiveLimits()
    {
        var store = new BurstStatusStore(Options());
        store.Record(Report(T0, 1600, Bid("bid_aaaaa", BidStatus.Allocated), Bid("bid_bbbbb", BidStatus.Allocated), Bid("bid_ccccc", BidStatus.Paused)), Local);
        Assert.Equal(0m, store.Current.CostUsdTotal);
        Assert.Equal(32m, store.Current.SpendRateUsdPerHour); // 2 allocated × $16 per instance-hour
        Assert.Equal(56m, store.Current.CommittedUsdPerHour); // the paused bid commits nothing

        store.Record(Report(T0.AddMinutes(30), 1600, Bid("bid_aaaaa", BidStatus.Allocated)), Local);
        Assert.Equal(16m, store.Current.CostUsdTotal); // $32/h for half an hour

        store.Record(Report(T0.AddMinutes(90), 2000, Bid("bid_aaaaa", BidStatus.Allocated)), Local);
        Assert.Equal(32m, store.Current.CostUsdTotal); // + $16/h for an hour
        Assert.Equal(20m, store.Current.SpendRateUsdPerHour);
        Assert.Equal(32m, Assert.Single(store.Cost).Usd);
        var pool = Assert.Single(store.Current.Pools);
        Assert.Equal(2.5m, pool.SpotUsdPerGpuHour);
        Assert.Equal(3.5m, pool.LimitUsdPerGpuHour);
        Assert.Equal(50m, store.Current.BudgetUsdPerHour);
    }

    [Fact]
    public void Preemptions_AreCountedOnEntry_NotPerTick()
    {
        var store = new BurstStatusStore(Options());
        Assert.Equal(("h100", 0L), Assert.Single(store.Preemptions));

        store.Record(Report(T0, 1600, Bid("bid_aaaaa", BidStatus.Allocated)), Local);
        store.Record(Report(T0.AddMinutes(1), 1600, Bid("bid_aaaaa", BidStatus.Preempting)), Local);
        store.Record(Report(T0.AddMinutes(2), 1600, Bid("bid_aaaaa", BidStatus.Preempting)), Local);
        store.Record(Report(T0.AddMinutes(3), 1600, Bid("bid_aaaaa", BidStatus.Open)), Local);
        store.Record(Report(T0.AddMinutes(4), 1600, Bid("bid_aaaaa", BidStatus.Preempting), Bid("bid_bbbbb", BidStatus.Preempting)), Local);

        Assert.Equal(3, Assert.Single(store.Preemptions).Count);
    }

    [Fact]
    public void Decisions_KeepTheLastFifty_AndARepeatedHoldOnce()
    {
        var store = new BurstStatusStore(Options());
        for (var i = 0; i < 10; i++)
        {
            store.RecordHeld(T0.AddSeconds(i), ReasonCodes.NotLeader, "hold: not leading", []);
        }

        Assert.Equal(T0.AddSeconds(9), Assert.Single(store.Current.Decisions).At);
        var actions = Enumerable.Range(0, 60).Select(i => ("h100", new BidAction(BidActionKind.Cancel, $"bid_{i:d5}", "scale down") { ReasonCode = ReasonCodes.Drain })).ToList();
        store.Record(Report(T0.AddMinutes(1), 1600) with { Actions = actions }, Local);

        var decisions = store.Current.Decisions;
        Assert.Equal(BurstStatusStore.DecisionCapacity, decisions.Count);
        Assert.Equal("bid_00059", decisions[^1].Bid);
        Assert.Equal(("cancel", "drain"), (decisions[0].Action, decisions[0].ReasonCode));
        Assert.Contains(store.DecisionCounts, d => d == ("hold", "not_leader", 10));
        Assert.Contains(store.DecisionCounts, d => d == ("cancel", "drain", 60));
        Assert.Equal(10, store.Ticks.Single(t => t.Result == "held").Count);
        Assert.Equal(1, store.Ticks.Single(t => t.Result == "ok").Count);
    }

    [Fact]
    public void StatusJson_HasTheContractsNames()
    {
        var store = new BurstStatusStore(Options());
        var actions = new List<(string, BidAction)> { ("h100", new BidAction(BidActionKind.Create, null, "scale up") { ReasonCode = ReasonCodes.BreachSustained }) };
        store.Record(Report(T0, 1600, Bid("bid_aaaaa", BidStatus.Allocated)) with { Actions = actions }, Local);

        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(store.Current))!.AsObject();

        static string[] Names(System.Text.Json.Nodes.JsonObject o) => [.. o.Select(p => p.Key).Order(StringComparer.Ordinal)];
        Assert.Equal(
            new[] { "budget_usd_per_hour", "committed_usd_per_hour", "cost_usd_total", "current_gpus", "decisions", "desired_gpus", "dry_run", "enabled", "failures", "gate", "last_tick", "leader_identity", "leading", "local_capacity_source", "local_gpus", "pools", "spend_rate_usd_per_hour" },
            Names(json));
        var pool = json["pools"]![0]!.AsObject();
        Assert.Equal(new[] { "bids", "gpus_per_node", "instance_type", "limit_usd_per_gpu_hour", "name", "skipped", "spot_usd_per_gpu_hour" }, Names(pool));
        Assert.Equal(new[] { "created_at", "fid", "instance_status", "name", "paused", "status" }, Names(pool["bids"]![0]!.AsObject()));
        Assert.Equal(new[] { "action", "at", "bid", "pool", "reason", "reason_code" }, Names(json["decisions"]![0]!.AsObject()));
        Assert.Equal("Allocated", pool["bids"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("STATUS_RUNNING", pool["bids"]![0]!["instance_status"]!.GetValue<string>());
    }

    [Fact]
    public void Disabled_SaysSo_AndNeverLeads()
    {
        var store = new BurstStatusStore(new MithrilAutoOptions());
        Assert.False(store.Current.Enabled);
        Assert.False(store.Current.Leading);
        Assert.Equal("disabled", store.Current.Gate);
    }
}
