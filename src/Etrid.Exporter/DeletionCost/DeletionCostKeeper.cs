using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Etrid.AiCompute.Telemetry;
using Etrid.Burst.Leadership;
using Etrid.Exporter.Configuration;
using Etrid.Kubernetes;
using k8s;
using k8s.Models;

namespace Etrid.Exporter.DeletionCost;

/// <summary>
/// Keeps <c>controller.kubernetes.io/pod-deletion-cost</c> on the worker pods while this replica leads: lower on
/// spot and cloud nodes, higher on local ones, so a scale-down removes cloud workers first. While leading it also
/// counts the GPU-hours of the cloud nodes, as <c>etrid_cloud_gpu_hours_total{cloud,instance_type}</c>.
/// Level-triggered: every tick compares each worker's annotation with its node's placement and patches the difference.
/// Each call to the API (the node list, the pod list, a patch) is bounded by <see cref="CallTimeout"/>.
/// </summary>
public sealed partial class DeletionCostKeeper : BackgroundService
{
    /// <summary>The annotation the ReplicaSet controller reads when it picks pods to remove.</summary>
    public const string Annotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>The cloud GPU-hours counter: declared once, rendered on /metrics and in the README's table.</summary>
    public static readonly MetricDeclaration CloudGpuHours = new(
        "etrid_cloud_gpu_hours_total",
        MetricKind.Counter,
        "GPU-hours of the cloud nodes (from their labels: cloud, node.kubernetes.io/instance-type), counted by the leading exporter while the deletion-cost keeper is on",
        ["cloud", "instance_type"])
    {
        AppearsWith = "the first cloud node counted",
    };

    /// <summary>Longest wait for one call to the API, as the burst controller's whose election the keeper may share.</summary>
    public static readonly TimeSpan CallTimeout = Etrid.Burst.Kubernetes.BurstKubernetes.CallTimeout;

    /// <summary>The meter of the keeper's figures (exported on <c>/metrics</c> like every <c>Etrid.*</c> meter).</summary>
    public const string MeterName = "Etrid.DeletionCost";

    // Distinct cloud and instance-type pairs counted (label values come from node labels; bounded all the same).
    private const int MaxSeries = 256;

    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly IBurstLeadership _leadership;
    private readonly bool _runsLeadership;
    private readonly DeletionCostOptions _options;
    private readonly NodeClassifier _classifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Dictionary<(string Cloud, string InstanceType), double> _gpuHours = [];
    private readonly Lock _lock = new();
    private long? _countedSince;

    /// <param name="client">The Kubernetes client.</param>
    /// <param name="namespace">The workers' (and the exporter's) namespace.</param>
    /// <param name="leadership">Who leads; run by the keeper when <paramref name="runsLeadership"/> (the burst controller runs it otherwise).</param>
    /// <param name="runsLeadership">True when no other part takes part in the election for this replica.</param>
    /// <param name="options">The <c>deletion_cost</c> section.</param>
    /// <param name="time">The clock of the ticks and of the GPU-hours.</param>
    /// <param name="meterFactory">Makes the keeper's meter.</param>
    /// <param name="logger">Logs what it changes and why it waits.</param>
    public DeletionCostKeeper(IKubernetes client, string @namespace, IBurstLeadership leadership, bool runsLeadership, DeletionCostOptions options, TimeProvider time, IMeterFactory meterFactory, ILogger<DeletionCostKeeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _client = client;
        _namespace = @namespace;
        _leadership = leadership;
        _runsLeadership = runsLeadership;
        _options = options;
        _classifier = new NodeClassifier(options.LocalNodeLabel);
        _time = time;
        _logger = logger;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter(CloudGpuHours, ObserveGpuHours);
    }

    /// <summary>The GPU-hours counted so far, by cloud and instance type.</summary>
    public IReadOnlyDictionary<(string Cloud, string InstanceType), double> GpuHours
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<(string, string), double>(_gpuHours);
            }
        }
    }

    /// <summary>One pass: when leading, every worker's annotation set from its node, and the cloud GPU-hours since the last pass counted.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (!_leadership.IsLeading)
        {
            // A follower counts nothing: the leader's count is the cluster's.
            _countedSince = null;
            return;
        }

        var nodes = await KubernetesCall.WithinAsync("list nodes", CallTimeout, _time, ct => _client.CoreV1.ListNodeAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var placements = new Dictionary<string, NodePlacement>(StringComparer.Ordinal);
        foreach (var node in nodes.Items)
        {
            placements[node.Metadata.Name] = _classifier.Classify(node);
        }

        CountGpuHours(placements.Values);

        var pods = await KubernetesCall.WithinAsync("list pods", CallTimeout, _time, ct => _client.CoreV1.ListNamespacedPodAsync(_namespace, labelSelector: _options.PodSelector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Items)
        {
            if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var placement = placements.GetValueOrDefault(pod.Spec.NodeName) ?? new NodePlacement(NodeKind.Unknown, null, "unknown", 0);
            var desired = placement.DeletionCost.ToString(CultureInfo.InvariantCulture);
            if (pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(Annotation, out var current) && current == desired)
            {
                continue;
            }

            var patch = JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [Annotation] = desired } } });
            var name = pod.Metadata.Name;
            await KubernetesCall.WithinAsync("patch pod " + name, CallTimeout, _time, ct => _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, _namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            LogCostSet(pod.Metadata.Name, desired, pod.Spec.NodeName, placement.Kind);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var election = _runsLeadership ? Task.Run(() => _leadership.RunAsync(stoppingToken), stoppingToken) : Task.CompletedTask;
        LogStarted(_namespace, _options.PodSelector, _options.Interval.TotalSeconds);
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // the API may be down or refuse: the next tick tries again (level-triggered)
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogPassFailed(e.GetType().Name, e.Message, _options.Interval.TotalSeconds);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await election.ConfigureAwait(false);
    }

    // Left Riemann sum: the cloud GPUs seen now held since the last pass of this leader.
    private void CountGpuHours(IEnumerable<NodePlacement> placements)
    {
        var now = _time.GetTimestamp();
        var hours = _countedSince is { } since ? _time.GetElapsedTime(since, now).TotalHours : 0;
        _countedSince = now;
        lock (_lock)
        {
            foreach (var node in placements)
            {
                if (node.Cloud is null || node.Gpus == 0)
                {
                    continue;
                }

                var key = (node.Cloud, node.InstanceType);
                if (_gpuHours.ContainsKey(key) || _gpuHours.Count < MaxSeries)
                {
                    _gpuHours[key] = _gpuHours.GetValueOrDefault(key) + (node.Gpus * hours);
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveGpuHours()
    {
        foreach (var ((cloud, instanceType), hours) in GpuHours)
        {
            yield return CloudGpuHours.Measure(hours, cloud, instanceType);
        }
    }

    [LoggerMessage(EventId = 860, Level = LogLevel.Information, Message = "Deletion-cost keeper: on for pods {Selector} in {Namespace}, every {IntervalSeconds} s while this replica leads")]
    private partial void LogStarted(string @namespace, string selector, double intervalSeconds);

    [LoggerMessage(EventId = 861, Level = LogLevel.Information, Message = "Deletion-cost keeper: {Pod} on node {Node} ({Kind}) gets deletion cost {Cost}")]
    private partial void LogCostSet(string pod, string cost, string node, NodeKind kind);

    [LoggerMessage(EventId = 862, Level = LogLevel.Warning, Message = "Deletion-cost keeper: a pass failed ({Type}: {Error}); trying again in {IntervalSeconds} s")]
    private partial void LogPassFailed(string type, string error, double intervalSeconds);
}
