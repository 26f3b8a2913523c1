namespace Etrid.Bench.Soak;

/// <summary>
/// The soak's freshness rule, on the reference chain's clock (time since the soak started).
/// <para>
/// The age of the exporter's figures at block <c>n</c> is the time since the reference chain finalized the first
/// block after <c>n</c> (0 while <c>n</c> is the newest finalized block): how long the figures have been behind.
/// An <em>outage</em> is a time in which no endpoint serves the reference chain (each is killed, stopped or
/// answers another genesis; an endpoint that is a few blocks behind serves it). A check finds:
/// </para>
/// <list type="bullet">
/// <item>age ≤ <c>chain.staleness_limit</c>: fresh;</item>
/// <item>older, and <c>/readyz</c> ok: a violation, never excused (ready on stale figures);</item>
/// <item>older, not ready, during an outage or within one staleness limit after its end (the time the exporter
/// has to reconnect and catch up): excused, not-ready being the right answer;</item>
/// <item>older, not ready, otherwise: a violation (stale while an endpoint served the chain).</item>
/// </list>
/// </summary>
internal sealed class FreshnessJudge(TimeSpan stalenessLimit)
{
    private readonly SortedList<uint, TimeSpan> _finalizedAt = [];
    private readonly List<(TimeSpan Start, TimeSpan? End)> _outages = [];

    public TimeSpan StalenessLimit => stalenessLimit;

    /// <summary>The reference chain finalized <paramref name="number"/> at <paramref name="at"/>.</summary>
    public void Finalized(uint number, TimeSpan at) => _finalizedAt.TryAdd(number, at);

    /// <summary>Whether some endpoint serves the reference chain, from <paramref name="at"/> on.</summary>
    public void Serving(bool any, TimeSpan at)
    {
        var inOutage = _outages.Count > 0 && _outages[^1].End is null;
        if (!any && !inOutage)
        {
            _outages.Add((at, null));
        }
        else if (any && inOutage)
        {
            _outages[^1] = (_outages[^1].Start, at);
        }
    }

    /// <summary>The age of figures taken at <paramref name="block"/> (null: none yet, as old as the run) at <paramref name="at"/>.</summary>
    public TimeSpan Age(uint? block, TimeSpan at)
    {
        if (block is null)
        {
            return at;
        }

        foreach (var (number, finalized) in _finalizedAt)
        {
            if (number > block)
            {
                return at > finalized ? at - finalized : TimeSpan.Zero;
            }
        }

        return TimeSpan.Zero;
    }

    public FreshnessVerdict Judge(uint? block, bool ready, TimeSpan at)
    {
        if (Age(block, at) <= stalenessLimit)
        {
            return FreshnessVerdict.Fresh;
        }

        if (ready)
        {
            return FreshnessVerdict.ReadyOnStaleFigures;
        }

        return _outages.Any(o => o.Start <= at && (o.End is null || at <= o.End + stalenessLimit))
            ? FreshnessVerdict.ExcusedByOutage
            : FreshnessVerdict.StaleWhileServed;
    }
}
