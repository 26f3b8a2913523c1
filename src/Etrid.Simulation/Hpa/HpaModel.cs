namespace Etrid.Simulation.Hpa;

/// <summary>
/// The HorizontalPodAutoscaler's algorithm for External metrics (spec §2; Kubernetes'
/// <c>pkg/controller/podautoscaler</c>), one instance per HPA since it remembers recommendations and
/// scale events: each metric proposes (tolerance, AverageValue or Value), the largest valid proposal
/// wins, failed metrics block scale-down, then stabilisation windows and rate policies (or the legacy
/// rules without <c>behavior</c>) and the min/max bounds. Used to check the adapter end to end and by
/// the burst controller's simulation.
/// </summary>
public sealed class HpaModel(HpaSpec spec, IExternalMetricsReader reader, TimeProvider time)
{
    // Without behavior: scale-down stabilised over 300 s, scale-up at most max(2 × current, 4).
    private static readonly TimeSpan LegacyDownscaleWindow = TimeSpan.FromSeconds(300);
    private const double LegacyScaleUpFactor = 2;
    private const int LegacyScaleUpMinimum = 4;

    private readonly List<(DateTimeOffset At, int Replicas)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int Change)> _scaleUps = [];
    private readonly List<(DateTimeOffset At, int Change)> _scaleDowns = [];

    /// <summary>The HPA being modelled.</summary>
    public HpaSpec Spec => spec;

    /// <summary>
    /// One sync: reads every metric and decides. <paramref name="currentReplicas"/> is the target's
    /// <c>spec.replicas</c>; <paramref name="statusReplicas"/> and <paramref name="readyPods"/> default to it.
    /// A decision that changes the count is recorded as a scale event (as the controller does after a rescale).
    /// </summary>
    public async Task<HpaDecision> SyncAsync(int currentReplicas, int? statusReplicas = null, int? readyPods = null, CancellationToken cancellationToken = default)
    {
        var proposals = new List<MetricProposal>(spec.Metrics.Count);
        foreach (var metric in spec.Metrics)
        {
            var reading = await reader.ReadAsync(spec.Namespace, metric.MetricName, metric.Selector, cancellationToken).ConfigureAwait(false);
            proposals.Add(Propose(metric, reading, currentReplicas, statusReplicas ?? currentReplicas, readyPods ?? currentReplicas, spec.Tolerance));
        }

        var decision = Decide(currentReplicas, proposals);
        Record(currentReplicas, decision.DesiredReplicas);
        return decision;
    }

    /// <summary>One metric's proposal (Kubernetes' replica calculator for External metrics).</summary>
    public static MetricProposal Propose(HpaMetricSpec metric, MetricReading reading, int currentReplicas, int statusReplicas, int readyPods, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.UsageMilli is not { } usage)
        {
            return new MetricProposal(metric, null, null, reading.Error ?? "failed");
        }

        var target = metric.TargetMilli;
        if (target <= 0)
        {
            return new MetricProposal(metric, usage, null, "target must be above 0");
        }

        int replicas;
        if (metric.TargetType == MetricTargetType.AverageValue)
        {
            var ratio = usage / ((double)target * statusReplicas);
            replicas = Math.Abs(1.0 - ratio) <= tolerance ? statusReplicas : (int)Math.Ceiling(usage / (double)target);
        }
        else
        {
            var ratio = usage / (double)target;
            if (currentReplicas == 0)
            {
                replicas = (int)Math.Ceiling(ratio);
            }
            else
            {
                replicas = Math.Abs(1.0 - ratio) <= tolerance ? currentReplicas : (int)Math.Ceiling(ratio * readyPods);
            }
        }

        return new MetricProposal(metric, usage, replicas, null);
    }

    private HpaDecision Decide(int current, List<MetricProposal> proposals)
    {
        if (current == 0 && spec.MinReplicas != 0)
        {
            return new HpaDecision(current, 0, proposals, "scaling is disabled: the target has 0 replicas", false);
        }

        if (current > spec.MaxReplicas)
        {
            return new HpaDecision(current, spec.MaxReplicas, proposals, "current replicas above maxReplicas", true);
        }

        if (current < spec.MinReplicas)
        {
            return new HpaDecision(current, spec.MinReplicas, proposals, "current replicas below minReplicas", true);
        }

        var valid = proposals.Where(p => p.IsValid).ToList();
        var invalid = proposals.Count - valid.Count;
        var proposed = valid.Count == 0 ? 0 : valid.Max(p => p.Replicas!.Value);
        // All metrics failed, or some failed and the rest would scale down: hold.
        if (invalid >= proposals.Count || (invalid > 0 && proposed < current))
        {
            var first = proposals.First(p => !p.IsValid);
            return new HpaDecision(current, current, proposals, $"FailedGetExternalMetric: {first.Metric.MetricName}: {first.Error}", false);
        }

        var (desired, reason) = spec.Behavior is { } behavior
            ? WithBehavior(current, proposed, behavior)
            : Legacy(current, proposed);
        return new HpaDecision(current, desired, proposals, reason, true);
    }

    private (int, string) Legacy(int current, int proposed)
    {
        var now = time.GetUtcNow();
        // Stabilise: the highest recommendation of the window (including this one).
        var stabilized = proposed;
        foreach (var (at, replicas) in _recommendations)
        {
            if (at > now - LegacyDownscaleWindow && replicas > stabilized)
            {
                stabilized = replicas;
            }
        }

        _recommendations.RemoveAll(r => r.At <= now - LegacyDownscaleWindow);
        _recommendations.Add((now, proposed));

        var minimum = spec.MinReplicas == 0 ? 0 : spec.MinReplicas;
        var scaleUpLimit = (int)Math.Max(LegacyScaleUpFactor * current, LegacyScaleUpMinimum);
        var maximum = Math.Min(spec.MaxReplicas, scaleUpLimit);
        if (stabilized < minimum)
        {
            return (minimum, "TooFewReplicas: the desired count is below minReplicas");
        }

        if (stabilized > maximum)
        {
            return (maximum, maximum == scaleUpLimit && scaleUpLimit < spec.MaxReplicas ? "ScaleUpLimit: at most max(2 × current, 4)" : "TooManyReplicas: the desired count is above maxReplicas");
        }

        return (stabilized, stabilized == proposed ? "the metrics' proposal" : "ScaleDownStabilized: the highest recommendation of the last 300 s");
    }

    private (int, string) WithBehavior(int current, int proposed, HpaBehavior behavior)
    {
        var now = time.GetUtcNow();
        var up = behavior.Up;
        var down = behavior.Down;
        // As the controller does for an HPA it has not seen: the current count counts as a
        // recommendation, so a new HPA does not scale down before a full window has passed.
        if (_recommendations.Count == 0 && down.StabilizationWindow > TimeSpan.Zero)
        {
            _recommendations.Add((now, current));
        }

        var upCutoff = now - up.StabilizationWindow;
        var downCutoff = now - down.StabilizationWindow;
        var upRecommendation = proposed;
        var downRecommendation = proposed;
        foreach (var (at, replicas) in _recommendations)
        {
            if (at > upCutoff)
            {
                upRecommendation = Math.Min(replicas, upRecommendation);
            }

            if (at > downCutoff)
            {
                downRecommendation = Math.Max(replicas, downRecommendation);
            }
        }

        var longest = up.StabilizationWindow > down.StabilizationWindow ? up.StabilizationWindow : down.StabilizationWindow;
        _recommendations.RemoveAll(r => r.At < now - longest);
        _recommendations.Add((now, proposed));

        // Bring the recommendation within the windows' bounds.
        var stabilized = current;
        if (stabilized < upRecommendation)
        {
            stabilized = upRecommendation;
        }

        if (stabilized > downRecommendation)
        {
            stabilized = downRecommendation;
        }

        var reason = stabilized == proposed ? "the metrics' proposal" : "stabilized over the window";
        if (stabilized > current)
        {
            var limit = Math.Max(ScaleUpLimit(current, up, now), current);
            var maximum = Math.Min(spec.MaxReplicas, limit);
            if (stabilized > maximum)
            {
                return (maximum, maximum == limit && limit < spec.MaxReplicas ? "ScaleUpLimit: the scale-up policies allow no more" : "TooManyReplicas: the desired count is above maxReplicas");
            }
        }
        else if (stabilized < current)
        {
            var limit = Math.Min(ScaleDownLimit(current, down, now), current);
            var minimum = Math.Max(spec.MinReplicas, limit);
            if (stabilized < minimum)
            {
                return (minimum, minimum == limit && limit > spec.MinReplicas ? "ScaleDownLimit: the scale-down policies allow no fewer" : "TooFewReplicas: the desired count is below minReplicas");
            }
        }

        return (stabilized, reason);
    }

    private int ScaleUpLimit(int current, HpaScalingRules rules, DateTimeOffset now)
    {
        if (rules.Select == SelectPolicy.Disabled)
        {
            return current;
        }

        var result = rules.Select == SelectPolicy.Min ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies)
        {
            var start = current - Changes(_scaleUps, policy.Period, now) + Changes(_scaleDowns, policy.Period, now);
            var proposed = policy.Type == ScalingPolicyType.Pods
                ? start + policy.Value
                : (int)Math.Ceiling(start * (1 + (policy.Value / 100.0)));
            result = rules.Select == SelectPolicy.Min ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    private int ScaleDownLimit(int current, HpaScalingRules rules, DateTimeOffset now)
    {
        if (rules.Select == SelectPolicy.Disabled)
        {
            return current;
        }

        // Scaling down, the smallest change is the highest count.
        var result = rules.Select == SelectPolicy.Min ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies)
        {
            var start = current - Changes(_scaleUps, policy.Period, now) + Changes(_scaleDowns, policy.Period, now);
            var proposed = policy.Type == ScalingPolicyType.Pods
                ? start - policy.Value
                : (int)(start * (1 - (policy.Value / 100.0)));
            result = rules.Select == SelectPolicy.Min ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    private static int Changes(List<(DateTimeOffset At, int Change)> events, TimeSpan period, DateTimeOffset now) =>
        events.Where(e => e.At > now - period).Sum(e => e.Change);

    private void Record(int current, int desired)
    {
        var now = time.GetUtcNow();
        if (desired > current)
        {
            _scaleUps.Add((now, desired - current));
        }
        else if (desired < current)
        {
            _scaleDowns.Add((now, current - desired));
        }

        // Events older than the longest policy period no longer limit anything.
        var longest = (spec.Behavior?.Up.Policies ?? []).Concat(spec.Behavior?.Down.Policies ?? []).Select(p => p.Period).DefaultIfEmpty(TimeSpan.Zero).Max();
        _scaleUps.RemoveAll(e => e.At <= now - longest);
        _scaleDowns.RemoveAll(e => e.At <= now - longest);
    }
}
