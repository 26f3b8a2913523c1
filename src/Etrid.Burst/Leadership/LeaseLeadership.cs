using Etrid.Burst.Options;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.Burst.Leadership;

/// <summary>
/// Leader election through a coordination.k8s.io/v1 Lease with KubernetesClient's <see cref="LeaderElector"/>.
/// The lease's clock is the wall clock by nature (every replica compares renew times against real time),
/// so its timing does not follow the injected <see cref="TimeProvider"/>; only the bound on each call to the API does.
/// </summary>
public sealed partial class LeaseLeadership : IBurstLeadership
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly BurstLeaderElectionOptions _options;
    private readonly TimeSpan _callTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile bool _leading;
    private volatile string? _leader;

    /// <param name="client">The Kubernetes client.</param>
    /// <param name="namespace">The Lease's namespace.</param>
    /// <param name="identity">This replica's identity (the pod name).</param>
    /// <param name="options">Lease name and timing.</param>
    /// <param name="callTimeout">Longest wait for each call to the API (read, create, update of the Lease).</param>
    /// <param name="time">The clock of that bound.</param>
    /// <param name="logger">Logs transitions.</param>
    public LeaseLeadership(IKubernetes client, string @namespace, string identity, BurstLeaderElectionOptions options, TimeSpan callTimeout, TimeProvider time, ILogger<LeaseLeadership>? logger = null)
    {
        _client = client;
        _namespace = @namespace;
        Identity = identity;
        _options = options;
        _callTimeout = callTimeout;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public bool IsLeading => _leading;

    /// <inheritdoc />
    public string Identity { get; }

    /// <inheritdoc />
    public string? LeaderIdentity => _leader;

    /// <summary>Where the lease lives (<c>namespace/name</c>).</summary>
    public string Lease => $"{_namespace}/{_options.LeaseName}";

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var config = new LeaderElectionConfig(new BoundedLeaseLock(new LeaseLock(_client, _namespace, _options.LeaseName, Identity), _callTimeout, _time))
            {
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            };
            using var elector = new LeaderElector(config);
            elector.OnStartedLeading += () =>
            {
                _leading = true;
                _leader = Identity;
                LogStartedLeading(Lease, Identity);
            };
            elector.OnStoppedLeading += () =>
            {
                _leading = false;
                LogStoppedLeading(Lease, Identity);
            };
            elector.OnNewLeader += leader => _leader = leader;
            try
            {
                await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the election (API down, conflict storms) is retried; never crash the host.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _leading = false;
                LogElectionFailed(Lease, e.GetType().Name, e.Message);
                try
                {
                    await Task.Delay(_options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _leading = false;
    }

    [LoggerMessage(EventId = 640, Level = LogLevel.Information, Message = "Burst controller: {Identity} leads (lease {Lease})")]
    private partial void LogStartedLeading(string lease, string identity);

    [LoggerMessage(EventId = 641, Level = LogLevel.Warning, Message = "Burst controller: {Identity} stopped leading (lease {Lease})")]
    private partial void LogStoppedLeading(string lease, string identity);

    [LoggerMessage(EventId = 642, Level = LogLevel.Warning, Message = "Burst controller: leader election on {Lease} failed ({Type}: {Error}); retrying")]
    private partial void LogElectionFailed(string lease, string type, string error);
}
