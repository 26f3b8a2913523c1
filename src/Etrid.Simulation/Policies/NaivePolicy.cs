using Etrid.Burst.Policy;
using Etrid.Burst.Pricing;
using Etrid.Mithril.Api;
using Etrid.Mithril.Models;
using Etrid.Mithril.Pricing;

namespace Etrid.Simulation.Policies;

/// <summary>
/// The seed's policy, as the baseline: when demand has been over capacity for <c>scale_up_after</c>, add 50 % more
/// nodes (at least one, within <c>max_agents</c>); when the cloud has not been needed for 5 minutes, cancel 10 %
/// of the nodes (at least one) and wait another 5 minutes. No bid pooling (a released bid is cancelled), no
/// economic guard, no wait trigger. Acts on the same API as the controller.
/// </summary>
public sealed class NaivePolicy
{
    /// <summary>Prefix of the bids this policy places.</summary>
    public const string NamePrefix = "naive-";

    private readonly IMithrilApi _api;
    private readonly NaiveSettings _settings;
    private readonly long _limitCents;
    private DateTimeOffset? _breachSince;
    private DateTimeOffset? _idleSince;
    private int _names;

    /// <summary>A naive policy acting on <paramref name="api"/>.</summary>
    public NaivePolicy(IMithrilApi api, NaiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _api = api;
        _settings = settings;
        _limitCents = GpuHourPrice.InstanceLimitCents(settings.LimitPricePerGpuHour, settings.GpusPerNode);
    }

    /// <summary>Bids created so far.</summary>
    public int Created { get; private set; }

    /// <summary>Bids cancelled so far.</summary>
    public int Cancelled { get; private set; }

    /// <summary>What a tick does when demand is within local capacity and no bid is live: forget both timers.</summary>
    public void Rest()
    {
        _breachSince = null;
        _idleSince = null;
    }

    /// <summary>One tick: <paramref name="demandJobs"/> jobs needing a GPU, <paramref name="localGpus"/> local GPUs, at <paramref name="now"/>.</summary>
    public async Task TickAsync(long demandJobs, long localGpus, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bids = (await _api.ListBidsAsync(new BidQuery { Project = _settings.Project, InstanceType = _settings.InstanceType, Region = _settings.Region }, cancellationToken).ConfigureAwait(false))
            .Where(b => b.Name.StartsWith(NamePrefix, StringComparison.Ordinal) && b.Status is not (BidStatus.Terminated or BidStatus.Unknown))
            .OrderBy(b => b.CreatedAt)
            .ThenBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        var nodes = bids.Count;
        var needed = Demand.GpusNeeded(demandJobs, _settings.TargetJobsPerGpu);
        var capacity = localGpus + ((long)nodes * _settings.GpusPerNode);

        if (needed > capacity)
        {
            _idleSince = null;
            _breachSince ??= now;
            if (now - _breachSince >= _settings.ScaleUpAfter)
            {
                var add = Math.Min(Math.Max(1, (int)Math.Ceiling(nodes * 0.5)), _settings.MaxAgents - nodes);
                for (var i = 0; i < add; i++)
                {
                    await _api.CreateBidAsync(new CreateBidRequest
                    {
                        Project = _settings.Project,
                        Region = _settings.Region,
                        InstanceType = _settings.InstanceType,
                        LimitPrice = MithrilPrice.Format(_limitCents),
                        Name = $"{NamePrefix}{++_names:D5}",
                        LaunchSpecification = new LaunchSpecification { SshKeys = _settings.SshKeys, StartupScript = "#!/bin/bash\n" },
                    }, cancellationToken).ConfigureAwait(false);
                    Created++;
                }

                _breachSince = now;
            }

            return;
        }

        _breachSince = null;
        if (needed > localGpus || nodes == 0)
        {
            // The cloud is in use (or there is none): not idle.
            _idleSince = null;
            return;
        }

        _idleSince ??= now;
        if (now - _idleSince >= _settings.IdleAfter)
        {
            var remove = Math.Max(1, (int)Math.Ceiling(nodes * 0.1));
            foreach (var bid in bids.AsEnumerable().Reverse().Take(remove))
            {
                await _api.CancelBidAsync(bid.Fid, cancellationToken).ConfigureAwait(false);
                Cancelled++;
            }

            _idleSince = now;
        }
    }
}
