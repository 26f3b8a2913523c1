using Etrid.AiCompute.Figures;
using Etrid.AiCompute.Model;
using Etrid.AiCompute.Snapshots;

namespace Etrid.Exporter.Tests.Status;

/// <summary>Hand-made snapshots and the burst section's documented shape (CONTRACT: "Burst status").</summary>
internal static class StatusFixtures
{
    public const string Hostile = "<img src=x onerror=\"window.pwned=1\"></script>{{script}}";

    public static ChainFigures Figures(double duration = 300, params ProviderFigures[] providers) => new(
        new Dictionary<JobStatus, long> { [JobStatus.Pending] = 23, [JobStatus.Processing] = 4, [JobStatus.Completed] = 100, [JobStatus.Failed] = 2, [JobStatus.Disputed] = 1, [JobStatus.Cancelled] = 3 },
        12.5,
        duration,
        providers,
        new Dictionary<GpuStatus, long> { [GpuStatus.Active] = 8, [GpuStatus.Paused] = 2, [GpuStatus.Offline] = 1, [GpuStatus.Slashed] = 0 },
        1.75,
        23,
        0);

    public static ChainSnapshot Snapshot(ChainFigures figures, DateTimeOffset at, uint block) =>
        new(block, "0x" + block.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), 7, at, figures);

    /// <summary>A hub holding one fresh snapshot at <paramref name="time"/>'s now.</summary>
    public static ChainSnapshotHub FreshHub(TimeProvider time, ChainFigures figures, uint block = 100)
    {
        var hub = new ChainSnapshotHub(TimeSpan.FromSeconds(60), time);
        hub.UpdateHealth(h => h with { Connected = true, ChainName = "Dev", Endpoint = "ws://127.0.0.1:9944", BestBlock = block + 2, LastFinalizedAt = time.GetUtcNow(), FinalizedBlock = block });
        hub.Publish(Snapshot(figures, time.GetUtcNow(), block));
        return hub;
    }

    /// <summary>A <c>burst</c> section as CONTRACT.md documents it, with text from remote parties that must stay text.</summary>
    public const string BurstJson = """
        { "enabled": true, "leading": true, "leader_identity": "pod-a", "dry_run": false,
          "local_gpus": 8, "local_capacity_source": "hpa etrid-ai-compute/etrid-ai-gpu-scaler",
          "desired_gpus": 4, "current_gpus": 2, "last_tick": "2026-11-29T01:00:00Z", "gate": "scale up: breach held 61 s",
          "committed_usd_per_hour": 12.5, "budget_usd_per_hour": 50, "spend_rate_usd_per_hour": 9.1, "cost_usd_total": 3.2,
          "pools": [ { "name": "a100-pool", "instance_type": "it_a100_8x", "gpus_per_node": 8, "spot_usd_per_gpu_hour": 1.1,
                       "limit_usd_per_gpu_hour": 2.0, "skipped": null,
                       "bids": [ { "fid": "bid_7f3a", "name": "etrid-burst-a100-1", "status": "Allocated", "paused": false, "instance_status": "STATUS_RUNNING", "created_at": "2026-11-29T00:58:00Z" } ] },
                     { "name": "h100-pool", "instance_type": "it_h100_8x", "gpus_per_node": 8, "spot_usd_per_gpu_hour": 4.2,
                       "limit_usd_per_gpu_hour": 3.0, "skipped": "price above limit", "bids": [] } ],
          "decisions": [ { "at": "2026-11-29T00:58:00Z", "pool": "a100-pool", "action": "create", "bid": null, "reason_code": "breach_sustained", "reason": "pending 57 > capacity 8 for 61 s" },
                         { "at": "2026-11-29T00:59:00Z", "pool": "h100-pool", "action": "hold", "bid": null, "reason_code": "price_above_limit", "reason": "HOSTILE" } ],
          "failures": [ "marketplace answered 502" ] }
        """;

    /// <summary>The burst section with <see cref="Hostile"/> as a decision's reason.</summary>
    public static string BurstJsonWithHostileReason() =>
        BurstJson.Replace("\"HOSTILE\"", System.Text.Json.JsonSerializer.Serialize(Hostile), StringComparison.Ordinal);
}
