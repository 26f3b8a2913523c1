using System.Collections.Concurrent;
using Etrid.Burst.Control;
using Etrid.Burst.Policy;
using Etrid.Burst.Pricing;
using Etrid.DevMarket.Market;
using Etrid.DevMarket.Server;
using Etrid.Mithril.Api;
using Etrid.Mithril.Market;
using Etrid.Mithril.Models;
using Etrid.Mithril.Options;
using Etrid.Simulation.Hpa;
using Etrid.Simulation.Policies;
using Etrid.Simulation.Reporting;
using Etrid.Simulation.Settings;
using Etrid.Simulation.Workload;

namespace Etrid.Simulation.Running;

/// <summary>
/// One policy's day: a dev market on a loopback port and a client of it, all on one virtual clock advanced a
/// second at a time; the trace's jobs queue and run on local GPUs (as many as the HPA model's replicas) and on the
/// GPUs of cloud instances while those are <c>STATUS_RUNNING</c>; the policy ticks every sync interval.
/// </summary>
internal sealed class PolicyRun
{
    private const string Token = "fkey_simulation";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan BillingStep = TimeSpan.FromSeconds(10);

    private readonly SimulationSettings _settings;
    private readonly IReadOnlyList<SimJob> _trace;
    private readonly bool _naive;
    private readonly LinkedList<SimJob> _queue = new();
    private readonly List<RunningJob> _running = [];
    private readonly Dictionary<string, int> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nodeRank = new(StringComparer.Ordinal);
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _bidRank = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<InstanceRunningChange> _changes = new();
    private readonly int[] _waits;
    private readonly bool[] _started;
    private int _localBusy;
    private int _restarted;

    private PolicyRun(SimulationSettings settings, IReadOnlyList<SimJob> trace, bool naive)
    {
        _settings = settings;
        _trace = trace;
        _naive = naive;
        _waits = new int[trace.Count];
        _started = new bool[trace.Count];
    }

    /// <summary>Runs the day under the configured policy (or the naive one); fills <paramref name="spotByMinute"/> when given.</summary>
    public static Task<PolicyResult> RunAsync(SimulationSettings settings, IReadOnlyList<SimJob> trace, bool naive, List<decimal>? spotByMinute, CancellationToken cancellationToken) =>
        new PolicyRun(settings, trace, naive).RunAsync(spotByMinute, cancellationToken);

    private async Task<PolicyResult> RunAsync(List<decimal>? spotByMinute, CancellationToken cancellationToken)
    {
        var time = new VirtualClock(Start);
        var marketOptions = _settings.Market with { Seed = _settings.Seed, ApiToken = Token, MaxCapturedRequests = 0 };
        using var market = new DevMarket.Market.DevMarket(marketOptions, time);
        market.InstanceRunningChanged += _changes.Enqueue;
        await using var server = new DevMarketServer(market, time);
        var url = await server.StartAsync("http://127.0.0.1:0", cancellationToken).ConfigureAwait(false);
        using var client = new MithrilClient(new MithrilClientOptions { ApiEndpoint = url, ApiToken = Token, JitterSeed = _settings.Seed, RequestTimeout = TimeSpan.FromMinutes(5) }, null, time);

        var gpusByType = marketOptions.InstanceTypes.ToDictionary(t => t.Fid, t => t.NumGpus, StringComparer.Ordinal);
        var policy = ForMarket(_settings.Policy, marketOptions, url);
        var firstPool = policy.PoolDetails[0];
        var reconciler = _naive ? null : new BurstReconciler(policy, new MithrilCapacityMarket(policy, client), gpusByType, "simulation", "00", _ => "#!/bin/bash\n", new Random(_settings.Seed), time);
        var naive = !_naive ? null : new NaivePolicy(client, new NaiveSettings
        {
            Project = marketOptions.ProjectId,
            Region = marketOptions.Region,
            InstanceType = firstPool.InstanceType,
            GpusPerNode = gpusByType[firstPool.InstanceType],
            LimitPricePerGpuHour = firstPool.LimitPricePerGpuHour,
            SshKeys = policy.SshKeyIds,
            MaxAgents = policy.AutoscalerFor(firstPool).MaxAgents,
            TargetJobsPerGpu = policy.TargetJobsPerGpu,
            ScaleUpAfter = policy.ScaleUpAfter,
        });

        var reader = new QueueMetricsReader();
        var hpa = new HpaModel(QueueMetricsReader.Spec(_settings.LocalMinGpus, _settings.LocalGpus), reader, time);
        var replicas = _settings.LocalMinGpus;
        var seconds = (int)_settings.Duration.TotalSeconds;
        var hpaEvery = (int)_settings.HpaSyncPeriod.TotalSeconds;
        var tickEvery = Math.Max(1, (int)policy.AutoscalerFor(firstPool).SyncLoopInterval.TotalSeconds);
        var billEvery = (int)BillingStep.TotalSeconds;
        var next = 0;
        var cost = 0m;
        double gpuSeconds = 0;
        int created = 0, resumed = 0, preempted = 0, peak = 0;
        var lastSteady = false;
        var lastStatus = new Dictionary<string, BidStatus>(StringComparer.Ordinal);
        var churn = new ChurnCounter(policy.ScaleDownAfter, policy.TargetJobsPerGpu, gpusByType);

        for (var now = 1; now <= seconds; now++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            time.Advance(TimeSpan.FromSeconds(1));
            ApplyInstanceChanges();
            Complete(now);
            while (next < _trace.Count && _trace[next].ArrivalSeconds <= now)
            {
                _queue.AddLast(_trace[next++]);
            }

            Assign(now, replicas);
            peak = Math.Max(peak, _nodes.Values.Sum());

            if (now % hpaEvery == 0)
            {
                reader.JobsInSystem = _queue.Count + _running.Count;
                reader.AverageWaitSeconds = AverageWait(now);
                replicas = (await hpa.SyncAsync(replicas, cancellationToken: cancellationToken).ConfigureAwait(false)).DesiredReplicas;
            }

            if (now % tickEvery == 0)
            {
                // What the host feeds the controller: pending jobs, and running ones too where the policy says so.
                var demand = _queue.Count + (policy.DemandIncludesRunning ? _running.Count : 0);

                // A quiet tick (no burst wanted, no live bid, nothing pending from the last tick) changes nothing
                // but costs HTTP round trips: most of a day is quiet, so those are skipped (a day in seconds).
                var quiet = Demand.BurstGpus(demand, policy.TargetJobsPerGpu, _settings.LocalGpus) == 0
                    && policy.AutoscalerFor(firstPool).MinIdleAgents == 0
                    && !market.SnapshotBids().Any(b => b.Status is not (BidStatus.Terminated or BidStatus.Paused));
                if (quiet && reconciler is not null && lastSteady)
                {
                    continue;
                }

                if (quiet && naive is not null)
                {
                    naive.Rest();
                    continue;
                }

                churn.Before(market.SnapshotBids(), market.SnapshotInstances(), demand, _settings.LocalGpus);
                if (reconciler is not null)
                {
                    var urgent = policy.WaitThreshold > TimeSpan.Zero && AverageWait(now) > policy.WaitThreshold.TotalSeconds && replicas >= _settings.LocalGpus;
                    var report = await reconciler.TickAsync(new BurstTickInput { PendingJobs = demand, LocalGpus = _settings.LocalGpus, Urgent = urgent, OldestWaitSeconds = OldestWait(now) }, cancellationToken).ConfigureAwait(false);
                    lastSteady = report.Actions.Count == 0 && report.Failures.Count == 0 && report.Gate.State.BreachSince is null && report.Gate.State.SurplusSince is null;
                    created += report.Actions.Count(a => a.Action.Kind == BidActionKind.Create);
                    resumed += report.Actions.Count(a => a.Action.Kind == BidActionKind.Resume);
                }
                else
                {
                    await naive!.TickAsync(demand, _settings.LocalGpus, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    created = naive.Created;
                }

                churn.After(market.SnapshotBids(), time.GetUtcNow());

                ApplyInstanceChanges();
            }

            if (now % billEvery == 0)
            {
                var instances = market.SnapshotInstances();
                Reap(instances);
                foreach (var instance in instances)
                {
                    if (instance.Status is InstanceStatus.Starting or InstanceStatus.Running or InstanceStatus.Preempting or InstanceStatus.Stopping)
                    {
                        cost += market.SpotPriceCents(instance.InstanceType) / 100m * billEvery / 3600m;
                        gpuSeconds += gpusByType[instance.InstanceType] * billEvery;
                    }
                }

                foreach (var bid in market.SnapshotBids())
                {
                    if (bid.Status == BidStatus.Preempting && lastStatus.GetValueOrDefault(bid.Fid) != BidStatus.Preempting)
                    {
                        preempted++;
                    }

                    lastStatus[bid.Fid] = bid.Status;
                }
            }

            if (spotByMinute is not null && (now - 1) % 60 == 0)
            {
                spotByMinute.Add(GpuHourPrice.PerGpuHour(market.SpotPriceCents(firstPool.InstanceType), gpusByType[firstPool.InstanceType]));
            }
        }

        var waits = Enumerable.Range(0, _trace.Count)
            .Select(i => _started[i] ? _waits[i] : Math.Max(0, seconds - _trace[i].ArrivalSeconds))
            .Order()
            .ToList();
        return new PolicyResult
        {
            Name = _naive ? "naive" : "configured",
            P95WaitSeconds = Percentile(waits, 0.95),
            MeanWaitSeconds = waits.Count == 0 ? 0 : waits.Average(),
            CloudCostUsd = decimal.Round(cost, 2),
            GpuHoursRented = Math.Round(gpuSeconds / 3600, 2),
            BidsCreated = created,
            BidsResumed = resumed,
            BidsPreempted = preempted,
            JobsStarted = _started.Count(s => s),
            JobsRestarted = _restarted,
            PeakCloudGpus = peak,
            CloudGpusAtEnd = _nodes.Values.Sum(),
            ReleasedEarly = churn.ReleasedEarly,
            PauseResumePause = churn.PauseResumePause,
            ReleasedUnderDemand = churn.ReleasedUnderDemand,
            LiveBidsAtEnd = market.SnapshotBids().Count(b => b.Status is not (BidStatus.Terminated or BidStatus.Paused)),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(IReadOnlyList<int> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static MithrilAutoOptions ForMarket(MithrilAutoOptions p, DevMarketOptions market, Uri url) => p with
    {
        Enabled = true,
        DryRun = false,
        ProjectId = market.ProjectId,
        Region = market.Region,
        ApiToken = Token,
        ApiEndpoint = url,
        SshKeyIds = [market.SshKeyId],
        TailscaleConfig = null,
    };

    private void ApplyInstanceChanges()
    {
        while (_changes.TryDequeue(out var change))
        {
            if (change.Running)
            {
                _nodes[change.InstanceFid] = change.NumGpus;
                _draining.Remove(change.InstanceFid);
                if (!_bidRank.TryGetValue(change.BidFid, out var rank))
                {
                    _bidRank[change.BidFid] = rank = _bidRank.Count;
                }

                _nodeRank[change.InstanceFid] = rank;
                continue;
            }

            // Left STATUS_RUNNING (stopping, preempting, terminated): no new job goes there; the ones running
            // finish if the machine lasts long enough (see Reap).
            if (_nodes.Remove(change.InstanceFid))
            {
                _draining.Add(change.InstanceFid);
            }
        }
    }

    /// <summary>
    /// Instances that have left STATUS_RUNNING keep computing while they are Stopping or Preempting (the pause
    /// and preemption windows of section 10); once they are gone, the jobs still on them go back to the head
    /// of the queue, oldest first.
    /// </summary>
    private void Reap(IReadOnlyList<Instance> instances)
    {
        if (_draining.Count == 0)
        {
            return;
        }

        foreach (var instance in instances)
        {
            if (!_draining.Contains(instance.Fid) || instance.Status is InstanceStatus.Stopping or InstanceStatus.Preempting or InstanceStatus.Running or InstanceStatus.Starting)
            {
                continue;
            }

            _draining.Remove(instance.Fid);
            var lost = _running.Where(r => r.Node == instance.Fid).OrderByDescending(r => r.Job.ArrivalSeconds).ThenByDescending(r => r.Job.Id).ToList();
            foreach (var job in lost)
            {
                _running.Remove(job);
                _queue.AddFirst(job.Job);
                _restarted++;
            }
        }
    }

    private void Complete(int now)
    {
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            if (_running[i].EndsAt <= now)
            {
                if (_running[i].Node is null)
                {
                    _localBusy--;
                }

                _running.RemoveAt(i);
            }
        }
    }

    private void Assign(int now, int replicas)
    {
        Dictionary<string, int>? cloudBusy = null;
        while (_queue.First is { } first)
        {
            string? node = null;
            if (_localBusy >= replicas)
            {
                cloudBusy ??= _running.Where(r => r.Node is not null).GroupBy(r => r.Node!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                // Oldest bids first: scale-down takes the newest, so packing the old ones restarts fewer jobs.
                node = _nodes.Where(n => cloudBusy.GetValueOrDefault(n.Key) < n.Value)
                    .OrderBy(n => _nodeRank[n.Key]).ThenBy(n => n.Key, StringComparer.Ordinal)
                    .Select(n => n.Key).FirstOrDefault();
                if (node is null)
                {
                    return;
                }

                cloudBusy[node] = cloudBusy.GetValueOrDefault(node) + 1;
            }
            else
            {
                _localBusy++;
            }

            _queue.RemoveFirst();
            var job = first.Value;
            _waits[job.Id] = now - job.ArrivalSeconds;
            _started[job.Id] = true;
            _running.Add(new RunningJob(job, now + job.DurationSeconds, node));
        }
    }

    private double OldestWait(int now) => _queue.Count == 0 ? 0 : now - _queue.Min(j => j.ArrivalSeconds);

    private double AverageWait(int now) => _queue.Count == 0 ? 0 : _queue.Average(j => (double)(now - j.ArrivalSeconds));

    private sealed record RunningJob(SimJob Job, int EndsAt, string? Node);
}
