using System.Text.Json;
using System.Text.Json.Nodes;
using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Snapshots;
using Etrid.Scaling.Telemetry;

namespace Etrid.Exporter.Status;

/// <summary>
/// Makes the <c>/status</c> document from the snapshot seam (the only judge of freshness), the scaling
/// interfaces' telemetry and the registered sections. Cheap enough to run per page update.
/// </summary>
public sealed class StatusReader
{
    /// <summary>Providers listed when the caller does not say.</summary>
    public const int DefaultTopProviders = 20;

    /// <summary>The most providers one document lists.</summary>
    public const int MaxTopProviders = 200;

    /// <summary>snake_case names; a section's own attributes win.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 32,
    };

    private readonly IChainSnapshotSource _source;
    private readonly TimeProvider _time;
    private readonly string _pbc;
    private readonly ScalingTelemetry? _scaling;
    private readonly bool _apiOn;
    private readonly bool _scalerOn;
    private readonly IReadOnlyList<IStatusSection> _sections;

    /// <summary>Reads from <paramref name="source"/>; <paramref name="scaling"/> is null when neither scaling interface runs.</summary>
    public StatusReader(IChainSnapshotSource source, TimeProvider time, string pbc, IEnumerable<IStatusSection> sections, ScalingTelemetry? scaling = null, bool externalMetricsOn = true, bool kedaScalerOn = true)
    {
        ArgumentNullException.ThrowIfNull(sections);
        _source = source;
        _time = time;
        _pbc = pbc;
        _scaling = scaling;
        _apiOn = externalMetricsOn;
        _scalerOn = kedaScalerOn;
        _sections = [.. sections];
        var taken = new HashSet<string>(StatusDocument.BuiltInNames, StringComparer.Ordinal);
        foreach (var section in _sections)
        {
            if (!taken.Add(section.Name))
            {
                throw new InvalidOperationException($"status section '{section.Name}' is registered twice or shadows a built-in member of /status");
            }
        }
    }

    /// <summary>The built-in part of the document.</summary>
    public StatusDocument Read(int topProviders = DefaultTopProviders)
    {
        var now = _time.GetUtcNow();
        var reading = _source.Read();
        var health = _source.Health;
        var snapshot = reading.Snapshot;
        var chain = new StatusDocument.ChainPart(
            health.ChainName,
            health.Connected,
            health.Endpoint,
            health.BestBlock,
            health.FinalizedBlock,
            health.LastFinalizedAt is { } at ? Round((now - at).TotalSeconds) : null,
            health.SpecVersion ?? snapshot?.SpecVersion,
            health.LastError,
            health.Reconnects,
            _source.StalenessLimit.TotalSeconds,
            snapshot is null ? null : new StatusDocument.SnapshotPart(snapshot.BlockNumber, snapshot.BlockHash, snapshot.ObservedAt, Round(snapshot.Age(now).TotalSeconds) ?? 0))
        {
            GenesisHash = health.GenesisHash,
            EndpointLagBlocks = health.EndpointLagBlocks,
            EndpointProblem = health.EndpointProblem,
        };
        var providers = snapshot?.Figures.Providers ?? [];
        var top = providers
            .OrderByDescending(p => p.RegisteredGpus).ThenByDescending(p => p.JobsCompleted).ThenBy(p => p.Address, StringComparer.Ordinal)
            .Take(Math.Clamp(topProviders, 0, MaxTopProviders))
            .Select(p => new StatusDocument.ProviderRow(p.Address, p.RegisteredGpus, p.ActiveGpus, p.BusyGpus, Round(p.UtilizationPercent), p.JobsCompleted, Finite(p.EarningsEdsc)))
            .ToList();
        var scaling = new StatusDocument.ScalingPart(
            _scaling is not null && _apiOn ? Requests(_scaling.ApiRequests) : null,
            _scaling is not null && _scalerOn ? Requests(_scaling.ScalerRequests) : null);
        return new StatusDocument(now, _pbc, reading.IsFresh, reading.Reason, chain, snapshot is null ? null : Figures(snapshot.Figures), new StatusDocument.ProvidersPart(providers.Count, top), scaling);
    }

    /// <summary>The whole document, sections included, as JSON. A failing section reports its error in its place.</summary>
    public string ReadJson(int topProviders = DefaultTopProviders) => ToJson(Read(topProviders));

    /// <summary><paramref name="status"/> with the sections as they are now, as JSON.</summary>
    public string ToJson(StatusDocument status)
    {
        var document = JsonSerializer.SerializeToNode(status, JsonOptions)!.AsObject();
        foreach (var section in _sections)
        {
            try
            {
                document[section.Name] = section.Read() switch
                {
                    null => null,
                    JsonNode node => node.DeepClone(),
                    var value => JsonSerializer.SerializeToNode(value, value.GetType(), JsonOptions),
                };
            }
#pragma warning disable CA1031 // one broken part must not take the whole status page down
            catch (Exception e)
#pragma warning restore CA1031
            {
                document[section.Name] = new JsonObject { ["error"] = $"{e.GetType().Name}: {e.Message}" };
            }
        }

        return document.ToJsonString(JsonOptions);
    }

    private static StatusDocument.FiguresPart Figures(ChainFigures f) => new(
        f.JobsByStatus.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
        f.GpusByStatus.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
        Finite(f.AverageWaitSeconds),
        Finite(f.AverageDurationSeconds),
        Finite(f.JobsPerActiveGpu),
        f.PendingListLength,
        f.UnattributedJobs,
        f.PendingQueue.ByPriority.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
        f.PendingQueue.ByModelType.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
        Finite(f.PendingQueue.OldestWaitSeconds));

    private static StatusDocument.RequestsPart Requests(RecentRequests requests) => new(requests.Total, requests.Snapshot());

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;

    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 1) : null;
}
