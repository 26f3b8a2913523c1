using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;

namespace Etrid.Exporter.Health;

/// <summary>Whether the figures can be trusted now, and if not, why (for /readyz, the status page and <c>etrid_chain_up</c>).</summary>
public static class Readiness
{
    public static (bool Ready, string Reason) Evaluate(ChainSnapshot? snapshot, ChainStatus status, DateTimeOffset now, TimeSpan stalenessLimit)
    {
        if (status.SchemaMismatch)
        {
            return (false, "the chain's runtime lacks what the exporter needs: " + status.LastError);
        }

        if (!status.Connected)
        {
            return (false, "not connected to any chain endpoint" + (status.LastError is { } e ? ": " + e : string.Empty));
        }

        if (snapshot is null)
        {
            return (false, "syncing: no figures yet" + (status.LastError is { } e2 ? " (last error: " + e2 + ")" : string.Empty));
        }

        if (status.LastFinalizedAt is not { } last || now - last > stalenessLimit)
        {
            var age = status.LastFinalizedAt is { } l ? $"{(now - l).TotalSeconds:F0} s" : "never";
            return (false, $"stale: last finalized block announced {age} ago (limit {stalenessLimit.TotalSeconds:F0} s)");
        }

        if (snapshot.Age(now) > stalenessLimit)
        {
            return (false, $"stale: figures are {snapshot.Age(now).TotalSeconds:F0} s old (limit {stalenessLimit.TotalSeconds:F0} s)" + (status.LastError is { } e3 ? "; last error: " + e3 : string.Empty));
        }

        return (true, "ok");
    }
}
