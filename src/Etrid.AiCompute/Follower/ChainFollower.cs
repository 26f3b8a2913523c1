using System.Text.Json;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.Snapshots;
using Etrid.AiCompute.State;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Scale;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// Follows the chain block by block. It decides what to believe (the chain's identity, plausible heads,
/// lagging or misbehaving endpoints) and when to read; the reading is done by three parts: the
/// <see cref="ChainSyncer"/> (a full sync at a pinned block), the <see cref="BlockProcessor"/> (each new
/// block's events and the jobs and GPUs they touch) and the <see cref="StateVerifier"/> (drift against a
/// fresh read, and the window's assignments after a full sync). Skipped heads are filled in; reconnects,
/// runtime upgrades and decode failures lead to a new full sync. Each processed block publishes one
/// immutable snapshot to the <see cref="ChainSnapshotHub"/>, which also holds the only record of the chain's
/// health. Any failure in the loop is logged, counted and retried with backoff; the loop ends only when cancelled.
/// </summary>
public sealed partial class ChainFollower
{
    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;
    private readonly ChainSnapshotHub _hub;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly ChainSyncer _syncer;
    private readonly BlockProcessor _processor;
    private readonly StateVerifier _verifier;
    private AiComputeSchema? _schema;
    private uint _specVersion;
    private ushort _ss58 = 42;
    private int _decimals = 18;
    private bool _propertiesRead;
    private ProviderDirectory? _directory;
    private AiComputeState? _state;
    private uint _last;
    private string? _lastHash;
    private volatile bool _resync = true;
    private int _connections;
    private HeadSubscriptions? _subscriptions;
    private readonly LogThrottle _throttle;
    private Action<string>? _leave;
    private string? _genesis;
    private volatile string? _endpoint;
    private volatile bool _identityChecked;
    // Why the connected endpoint is refused (another chain), or null; nothing it says is used meanwhile.
    private string? _refusal;
    private volatile bool _lagging;
    private int _leftEndpoint;
    // When the head of the kept state was read: with block_time it bounds how far a head may plausibly be.
    private long _anchorTimestamp;
    private uint? _bestKnown;
    // The highest best head refused only for coming earlier than the time bound allows: believed once time has caught up.
    private uint? _earlyBest;
    // A runtime upgrade announced and confirmed at the best head: each block's version is read until it is found.
    private bool _versionWatch;
    private long _lastNonsenseTimestamp;
    private volatile string? _problemEndpoint;
    // The block below the oldest kept undo: where a re-org can be taken back to at most.
    private uint _undoBaseNumber;
    private string? _undoBaseHash;
    // Under finality: best, what takes back each block processed since the last full sync (at most max_gap_blocks of
    // them, the deepest re-org taken back block by block; a deeper one is a full sync).
    private readonly LinkedList<BlockUndo> _undo = new();

    public ChainFollower(ISubstrateRpc rpc, FollowerOptions options, ChainSnapshotHub hub, ILogger<ChainFollower>? logger = null, TimeProvider? timeProvider = null, int? jitterSeed = null)
    {
        // The rules the configuration is checked with at start-up, not a copy of them.
        var result = new FollowerOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new ArgumentException("invalid follower options: " + result.FailureMessage, nameof(options));
        }

        _rpc = rpc;
        _options = options;
        _hub = hub;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));
        _genesis = options.GenesisHash?.ToLowerInvariant();
        _syncer = new ChainSyncer(rpc, options);
        _processor = new BlockProcessor(rpc, options);
        _verifier = new StateVerifier(rpc, options, _logger, _time);
        var random = jitterSeed is { } seed ? new Random(seed) : new Random();
        _retry = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                MaxRetryAttempts = int.MaxValue,
                Randomizer = random.NextDouble,
                OnRetry = args =>
                {
                    OnFailure(args.Outcome.Exception!, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Listens to <paramref name="client"/>'s connection events (what the hosted service and tests do).</summary>
    public void AttachTo(SubstrateClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Connected += OnConnected;
        client.Disconnected += OnDisconnected;
        client.Misbehaved += OnMisbehaved;
        _leave = reason => client.LeaveEndpoint(reason);
    }

    /// <summary>Asks for a full sync before the next block (after a reconnect, say).</summary>
    public void RequestResync(string reason)
    {
        LogResyncRequested(reason);
        _resync = true;
    }

    /// <summary>The chain client connected to <paramref name="endpoint"/> (the first time, or again).</summary>
    public void OnConnected(string endpoint)
    {
        // Who the node is, and where it stands, is found out afresh before anything it says is used.
        _identityChecked = false;
        _lagging = false;
        _endpoint = endpoint;
        Interlocked.Exchange(ref _leftEndpoint, 0);
        var other = _problemEndpoint is { } troubled && troubled != endpoint;
        if (other)
        {
            // The nonsense was another endpoint's: this one starts with a clean record.
            _problemEndpoint = null;
            Interlocked.Exchange(ref _lastNonsenseTimestamp, 0);
        }

        var again = Interlocked.Increment(ref _connections) > 1;
        _hub.UpdateHealth(h => h with
        {
            Connected = true,
            Endpoint = endpoint,
            Reconnects = h.Reconnects + (again ? 1 : 0),
            EndpointLagBlocks = 0,
            EndpointProblem = other ? null : h.EndpointProblem,
        });
        if (again)
        {
            // Anything may have happened while away: read the state afresh.
            RequestResync($"reconnected to {endpoint}");
        }
    }

    /// <summary>The chain client lost its connection.</summary>
    public void OnDisconnected(string reason) => _hub.UpdateHealth(h => h with { Connected = false, LastError = h.LastError ?? reason });

    /// <summary>The chain client saw <paramref name="endpoint"/> send nonsense (it logged it already, at a bounded rate).</summary>
    public void OnMisbehaved(string endpoint, string cause) => ReportNonsense("connection", cause, endpoint, log: false);

    /// <summary>Runs until cancelled; every failure is logged, recorded in the health and retried with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _retry.ExecuteAsync(StepAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await CloseSubscriptionsAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask StepAsync(CancellationToken cancellationToken)
    {
        try
        {
            _subscriptions ??= await HeadSubscriptions.OpenAsync(_rpc, _options.Finality, LogVersionsRefused, cancellationToken).ConfigureAwait(false);
            if (!_identityChecked)
            {
                await CheckIdentityAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_refusal is not null)
            {
                // Another chain: nothing it sends is used; the figures stay as they were.
                Discard(_subscriptions);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                return;
            }

            BelieveAgainWhenQuiet();
            DrainBestHeads(_subscriptions);
            await DrainRuntimeVersionsAsync(_subscriptions, cancellationToken).ConfigureAwait(false);
            if (_resync && !_lagging)
            {
                await FullSyncAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (!_resync && _verifier.Due)
            {
                await VerifyAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await NextHeadAsync(_subscriptions.Driving, cancellationToken).ConfigureAwait(false) is { } head)
            {
                await OnDrivingHeadAsync(head, cancellationToken).ConfigureAwait(false);
            }

            if (_hub.Health.LastError is not null && _hub.Health.Connected)
            {
                _hub.UpdateHealth(h => h with { LastError = null });
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The next attempt starts from a clean slate: fresh subscriptions and a full sync.
            _resync = true;
            await CloseSubscriptionsAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void OnFailure(Exception e, TimeSpan delay)
    {
        // Logged first: whoever sees the health change finds the log line already written.
        if (IsChainProblem(e))
        {
            LogFailed(e.GetType().Name, e.Message, delay.TotalSeconds);
        }
        else
        {
            LogUnexpected(e, delay.TotalSeconds);
        }

        _hub.UpdateHealth(h => h with
        {
            LastError = e.Message,
            SchemaMismatch = e is SchemaException,
            LoopFailures = h.LoopFailures + 1,
        });
    }

    private async Task CloseSubscriptionsAsync()
    {
        if (_subscriptions is { } open)
        {
            _subscriptions = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the state at the current head from scratch and publishes it (used by <c>inspect</c> too).</summary>
    public async Task<ChainSnapshot> SyncOnceAsync(CancellationToken cancellationToken)
    {
        await FullSyncAsync(cancellationToken).ConfigureAwait(false);
        return _hub.Current!;
    }

    private static bool IsChainProblem(Exception e) =>
        e is SubstrateRpcException or ScaleDecodeException or MetadataException or SchemaException or ChainDataException or JobLimitException or FormatException or JsonException;

    // A notification only says that something may have changed: a higher spec version is confirmed by
    // reading the runtime version at the best head, a lower one is nonsense (spec versions only increase).
    private async Task DrainRuntimeVersionsAsync(HeadSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        if (subscriptions.Versions is not { } versions)
        {
            return;
        }

        uint? announced = null;
        long nonsense = 0;
        string? why = null;
        while (versions.Items.TryRead(out var item))
        {
            if (_schema is null)
            {
                continue;
            }

            uint spec;
            try
            {
                spec = RuntimeVersion.Parse(item).SpecVersion;
            }
            catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException)
            {
                nonsense++;
                why ??= $"a malformed runtime-version notification ({e.Message})";
                continue;
            }

            if (spec < _specVersion)
            {
                nonsense++;
                why ??= $"an implausible runtime version: a notification announced spec version {spec}, below the running {_specVersion} (spec versions only increase)";
            }
            else if (spec > _specVersion)
            {
                announced = spec;
            }
        }

        if (why is not null)
        {
            ReportNonsense("runtime version", why, count: nonsense);
        }

        if (announced is { } claimed && !_versionWatch)
        {
            var atBest = await _rpc.GetRuntimeVersionAsync(null, cancellationToken).ConfigureAwait(false);
            if (atBest.SpecVersion != _specVersion)
            {
                _versionWatch = true;
            }
            else
            {
                ReportNonsense("runtime version", $"an implausible runtime version: a notification announced spec version {claimed}, but the best head runs {atBest.SpecVersion}");
            }
        }
    }

    private void DrainBestHeads(HeadSubscriptions subscriptions)
    {
        if (ReferenceEquals(subscriptions.Best, subscriptions.Driving))
        {
            return;
        }

        uint? newest = null;
        long nonsense = 0;
        string? why = null;
        while (subscriptions.Best.Items.TryRead(out var item))
        {
            if (!TryReadHead(item, finalized: false, out var n, out var problem))
            {
                nonsense++;
                why ??= problem;
                continue;
            }

            newest = n;
        }

        if (why is not null)
        {
            ReportNonsense("head", why, count: nonsense);
        }

        if (newest is { } best)
        {
            _bestKnown = best;
            _hub.UpdateHealth(h => h with { BestBlock = Math.Max(best, h.FinalizedBlock ?? 0) });
        }
    }

    private async Task OnDrivingHeadAsync(uint number, CancellationToken cancellationToken)
    {
        if (_state is not null && number < _last)
        {
            // Behind the kept state: a lagging or restarted node. A finalized block is never reverted, so it is not believed.
            if (_lagging || _resync)
            {
                MarkLagging(number);
            }

            return;
        }

        if (_lagging)
        {
            _lagging = false;
            _hub.UpdateHealth(h => h with { EndpointLagBlocks = 0 });
            LogCaughtUp(_endpoint ?? "the node", number);
        }

        var at = _time.GetUtcNow();
        _hub.UpdateHealth(h => h with
        {
            FinalizedBlock = Math.Max(number, h.FinalizedBlock ?? 0),
            LastFinalizedAt = at,
            BestBlock = _options.Finality == FinalityMode.Best ? number : h.BestBlock,
        });
        await FollowToAsync(number, cancellationToken).ConfigureAwait(false);
    }

    // A head is believed when it parses, is within what the time since the kept state's head allows, and
    // (finalized) is not beyond the best head.
    private bool TryReadHead(JsonElement item, bool finalized, out uint number, out string? problem)
    {
        number = 0;
        try
        {
            number = BlockHeader.Parse(item).Number;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException or OverflowException)
        {
            problem = $"a malformed head ({e.Message})";
            return false;
        }

        if (!WithinTime(number, out var elapsed, out var allowed))
        {
            if (!finalized)
            {
                _earlyBest = Math.Max(_earlyBest ?? 0, number);
            }

            problem = $"an implausible head: block {number} announced {elapsed.TotalSeconds:F0} s after block {_last}, when at most {allowed} can exist (chain.block_time {_options.BlockTime.TotalSeconds:0.###} s, chain.head_tolerance_blocks {_options.HeadToleranceBlocks})";
            return false;
        }

        if (_earlyBest is { } early && WithinTime(early, out _, out _))
        {
            _bestKnown = Math.Max(_bestKnown ?? 0, early);
            _earlyBest = null;
        }

        if (finalized && _options.Finality == FinalityMode.Finalized && _bestKnown is { } best && number > best)
        {
            problem = $"an implausible head: finalized block {number} is beyond the best head {best}";
            return false;
        }

        problem = null;
        return true;
    }

    // At most block_time-many blocks can follow the kept state's head per elapsed block time, plus the tolerance.
    private bool WithinTime(uint number, out TimeSpan elapsed, out long allowed)
    {
        elapsed = _time.GetElapsedTime(_anchorTimestamp);
        allowed = (long)_last + (long)Math.Ceiling(elapsed / _options.BlockTime) + _options.HeadToleranceBlocks;
        return _state is null || number <= allowed;
    }

    private void MarkLagging(uint head)
    {
        _lagging = true;
        var lag = (long)_last - head;
        var endpoint = _endpoint ?? "the node";
        _hub.UpdateHealth(h => h with { EndpointLagBlocks = lag });
        if (_throttle.ShouldWrite("lagging", out var suppressed))
        {
            LogLagging(endpoint, lag, head, _last, suppressed);
        }

        if (Interlocked.Exchange(ref _leftEndpoint, 1) == 0)
        {
            _leave?.Invoke($"{endpoint} is {lag} blocks behind the kept state (its finalized head is {head}, the kept state is at {_last})");
        }
    }

    // Nonsense is ignored, counted, logged at a bounded rate, and makes the endpoint not believed until it is quiet.
    private void ReportNonsense(string cause, string detail, string? endpoint = null, long count = 1, bool log = true)
    {
        endpoint ??= _endpoint ?? "the node";
        Interlocked.Exchange(ref _lastNonsenseTimestamp, _time.GetTimestamp());
        _problemEndpoint = endpoint;
        var problem = $"{endpoint} sent {detail}";
        // The first nonsense of an episode names it; what follows until the endpoint is quiet is counted.
        _hub.UpdateHealth(h => h with { EndpointProblem = h.EndpointProblem ?? problem, EndpointProblems = h.EndpointProblems + count });
        if (log && _throttle.ShouldWrite(cause, out var suppressed))
        {
            LogNonsense(endpoint, detail, count, suppressed);
        }

        if (Interlocked.Exchange(ref _leftEndpoint, 1) == 0)
        {
            _leave?.Invoke(problem);
        }
    }

    private void BelieveAgainWhenQuiet()
    {
        var last = Interlocked.Read(ref _lastNonsenseTimestamp);
        if (last != 0 && _time.GetElapsedTime(last) >= _options.BlockTime * _options.UnhealthyHoldBlocks
            && Interlocked.CompareExchange(ref _lastNonsenseTimestamp, 0, last) == last)
        {
            _problemEndpoint = null;
            _hub.UpdateHealth(h => h with { EndpointProblem = null });
            LogBelievedAgain(_endpoint ?? "the node", _options.UnhealthyHoldBlocks);
        }
    }

    // Reads the node's genesis hash: the first one seen (or the configured one) is the chain; another is refused.
    private async Task CheckIdentityAsync(CancellationToken cancellationToken)
    {
        var endpoint = _endpoint ?? "the node";
        var genesis = (await _rpc.GetBlockHashAsync(0, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getBlockHash", endpoint, null, "the node knows no genesis block")).ToLowerInvariant();
        if (_genesis is null)
        {
            _genesis = genesis;
            LogGenesisPinned(genesis, endpoint);
        }

        var pinned = _genesis;
        _hub.UpdateHealth(h => h with { GenesisHash = pinned });
        if (genesis != pinned)
        {
            _refusal = $"{endpoint} serves another chain: its genesis is {genesis}, the chain followed has genesis {pinned}";
            var refusal = _refusal;
            _hub.UpdateHealth(h => h with { EndpointProblem = "refused: " + refusal, EndpointProblems = h.EndpointProblems + 1 });
            if (_throttle.ShouldWrite("genesis", out var suppressed))
            {
                LogRefused(endpoint, genesis, pinned, suppressed);
            }

            if (Interlocked.Exchange(ref _leftEndpoint, 1) == 0)
            {
                _leave?.Invoke(refusal);
            }
        }
        else if (_refusal is not null)
        {
            _refusal = null;
            _hub.UpdateHealth(h => h with { EndpointProblem = null });
        }

        _identityChecked = true;
    }

    private static void Discard(HeadSubscriptions subscriptions)
    {
        foreach (var s in new[] { subscriptions.Best, subscriptions.Driving, subscriptions.Versions })
        {
            while (s is not null && s.Items.TryRead(out _))
            {
            }
        }
    }

    private async Task<uint?> NextHeadAsync(RpcSubscription driving, CancellationToken cancellationToken)
    {
        if (driving.Items.TryRead(out var ready))
        {
            return Believed(ready);
        }

        // Wake up at least every second to take in best heads, resync requests and verification.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            if (await driving.Items.WaitToReadAsync(wait.Token).ConfigureAwait(false) && driving.Items.TryRead(out var item))
            {
                return Believed(item);
            }

            throw new SubstrateRpcException("chain_subscribeFinalizedHeads", "node", null, "the head subscription ended");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // The driving head's number when it is believed; a finalized head is checked against the best heads that came before it.
    private uint? Believed(JsonElement item)
    {
        if (_subscriptions is { } subscriptions)
        {
            DrainBestHeads(subscriptions);
        }

        if (TryReadHead(item, finalized: true, out var number, out var problem))
        {
            return number;
        }

        ReportNonsense("head", problem!);
        return null;
    }

    private async Task FollowToAsync(uint head, CancellationToken cancellationToken)
    {
        if (_resync || _state is null || head <= _last)
        {
            return;
        }

        if (head - _last > (uint)_options.MaxGapBlocks)
        {
            RequestResync($"{head - _last} blocks behind (more than {_options.MaxGapBlocks})");
            return;
        }

        // One notification can stand for several blocks: take them in order (a block skipped for a resync ends the run;
        // a re-org takes the kept state back to where the chains part, and the run goes on from there).
        var reorgs = 0;
        while (_last < head && !_resync)
        {
            if (!await ProcessBlockAsync(_last + 1, cancellationToken).ConfigureAwait(false) && ++reorgs > 3)
            {
                RequestResync($"the best chain changed {reorgs} times while following it to block {head}");
            }
        }
    }

    // Under finality: best, whether block `hash` extends the kept state; if not, a re-org: the blocks the chains no
    // longer share are taken back (newest first) and false is returned, or a full sync is asked for when they reach
    // further back than the undo kept.
    private async Task<bool> ExtendsKeptStateAsync(uint number, string hash, CancellationToken cancellationToken)
    {
        if (_options.Finality != FinalityMode.Best || _lastHash is null)
        {
            return true;
        }

        var header = await _rpc.GetHeaderAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getHeader", "node", null, $"header of block {number} ({hash}) not found");
        if (string.Equals(header.ParentHash, _lastHash, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var state = _state!;
        var reverted = 0;
        while (_undo.Last is { Value: var top })
        {
            var canonical = top.Number == 0 ? null : await _rpc.GetBlockHashAsync(top.Number, cancellationToken).ConfigureAwait(false);
            if (string.Equals(canonical, top.Hash, StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            BlockProcessor.Undo(state, top);
            _undo.RemoveLast();
            reverted++;
            _last = top.Number - 1;
            _lastHash = _undo.Last?.Value.Hash ?? _undoBaseHash;
        }

        var ancestor = _last == _undoBaseNumber ? _undoBaseHash : _undo.Last?.Value.Hash;
        var shared = ancestor is not null && string.Equals(await _rpc.GetBlockHashAsync(_last, cancellationToken).ConfigureAwait(false), ancestor, StringComparison.OrdinalIgnoreCase);
        if (reverted == 0 || !shared || state.InexactChanges > 0)
        {
            RequestResync($"block {number} does not extend the kept block {_last}, and the chains' last shared block is not among the {reverted} kept to take back");
            return false;
        }

        _lastHash = ancestor;
        LogReorg(reverted, _last, number);
        return false;
    }

    // Processes one block; false when a re-org took the kept state back instead (or a full sync was asked for).
    private async Task<bool> ProcessBlockAsync(uint number, CancellationToken cancellationToken)
    {
        var schema = _schema!;
        var state = _state!;
        var generation = Volatile.Read(ref _connections);
        var hash = await _rpc.GetBlockHashAsync(number, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getBlockHash", "node", null, $"block {number} is unknown");
        if (_subscriptions?.Versions is null || _versionWatch)
        {
            // Without the runtime-version subscription, or once an upgrade is announced and confirmed, each block's version is read.
            var version = await _rpc.GetRuntimeVersionAsync(hash, cancellationToken).ConfigureAwait(false);
            if (version.SpecVersion != _specVersion)
            {
                _versionWatch = false;
                RequestResync($"runtime upgraded from spec version {_specVersion} to {version.SpecVersion} at block {number}");
                return false;
            }
        }

        if (!await ExtendsKeptStateAsync(number, hash, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var changes = await _processor.ReadAsync(schema, state, number, hash, cancellationToken).ConfigureAwait(false);
        if (generation != Volatile.Read(ref _connections))
        {
            // Read partly from another node than the one whose identity was checked: taken again after the check.
            _resync = true;
            return false;
        }

        var inexact = state.InexactChanges;
        var undo = BlockProcessor.Apply(state, changes, number, hash, PalletTime(number));
        if (_options.Finality == FinalityMode.Best)
        {
            _undo.AddLast(undo);
            while (_undo.Count > _options.MaxGapBlocks && _undo.First is { Value: var oldest })
            {
                _undoBaseNumber = oldest.Number;
                _undoBaseHash = oldest.Hash;
                _undo.RemoveFirst();
            }
        }

        _last = number;
        _lastHash = hash;
        _anchorTimestamp = _time.GetTimestamp();
        Publish(number, hash);
        if (state.InexactChanges > inexact)
        {
            // A finished job changed in a way its fingerprint cannot account for: the figures are read afresh.
            RequestResync($"block {number} changed a finished job beyond what was kept of it");
        }

        return true;
    }

    /// <summary>Compares the kept state with the chain at the block it is at; drift is counted and followed by a full sync.</summary>
    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var generation = Volatile.Read(ref _connections);
        var drift = await _verifier.VerifyAsync(_schema!, _syncer, _state!, _lastHash!, _last, cancellationToken).ConfigureAwait(false);
        if (generation != Volatile.Read(ref _connections))
        {
            // Read partly from another node: its identity is checked and its state read afresh.
            _resync = true;
            return;
        }

        _verifier.Verified();
        _hub.UpdateHealth(h => h with { FullSyncs = h.FullSyncs + 1, VerificationDrift = h.VerificationDrift + drift });
        LogVerified(_last, drift, _time.GetElapsedTime(started).TotalMilliseconds);
        if (drift > 0)
        {
            RequestResync($"the verification at block {_last} found {drift} value(s) that differ from the kept state");
        }
    }

    /// <summary>Reads the whole state at the current head (finalized or best, as configured).</summary>
    private async Task FullSyncAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var generation = Volatile.Read(ref _connections);
        var hash = _options.Finality == FinalityMode.Finalized
            ? await _rpc.GetFinalizedHeadAsync(cancellationToken).ConfigureAwait(false)
            : await _rpc.GetBlockHashAsync(null, cancellationToken).ConfigureAwait(false) ?? throw new SubstrateRpcException("chain_getBlockHash", "node", null, "no best block");
        var header = await _rpc.GetHeaderAsync(hash, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstrateRpcException("chain_getHeader", "node", null, $"header of {hash} not found");
        if (_state is not null && header.Number < _last)
        {
            // A node behind the kept state is lagging, not authoritative: the figures stay until it catches up.
            MarkLagging(header.Number);
            return;
        }
        var version = await _rpc.GetRuntimeVersionAsync(hash, cancellationToken).ConfigureAwait(false);
        if (_schema is null || version.SpecVersion != _specVersion)
        {
            var metadata = MetadataParser.Parse(await _rpc.GetLatestMetadataAsync(version, hash, cancellationToken).ConfigureAwait(false));
            _schema = AiComputeSchema.Create(metadata);
            _specVersion = version.SpecVersion;
            _hub.UpdateHealth(h => h with { SchemaMismatch = false, SpecVersion = version.SpecVersion });
            LogSchema(version.SpecName, version.SpecVersion, metadata.Version);
        }

        if (!_propertiesRead)
        {
            await ReadPropertiesAsync(cancellationToken).ConfigureAwait(false);
        }

        var schema = _schema;
        _directory ??= new ProviderDirectory(_ss58);
        var state = await _syncer.ReadStateAsync(schema, hash, header.Number, _directory, _decimals, cancellationToken).ConfigureAwait(false);
        await _verifier.BackfillAssignmentsAsync(schema, header.Number, hash, state, cancellationToken).ConfigureAwait(false);

        if (generation != Volatile.Read(ref _connections))
        {
            // The connection changed while reading: the new node's identity is checked before its state is used.
            _resync = true;
            return;
        }

        _state = state;
        _last = header.Number;
        _lastHash = hash;
        _undo.Clear();
        _undoBaseNumber = header.Number;
        _undoBaseHash = hash;
        _anchorTimestamp = started;
        _resync = false;
        _versionWatch = false;
        _verifier.Verified();
        _hub.UpdateHealth(h => h with
        {
            FullSyncs = h.FullSyncs + 1,
            EndpointLagBlocks = 0,
            FinalizedBlock = Math.Max(header.Number, h.FinalizedBlock ?? 0),
        });
        Publish(header.Number, hash);

        // A full sync allocates tens of megabytes of JSON and values that are garbage once it ends;
        // give that memory back to the system rather than keep the peak as the pod's resident set.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogSynced(header.Number, state.JobCount, state.Gpus.Count, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ReadPropertiesAsync(CancellationToken cancellationToken)
    {
        var properties = await _rpc.GetSystemPropertiesAsync(cancellationToken).ConfigureAwait(false);
        if (properties.ValueKind == JsonValueKind.Object)
        {
            _ss58 = FirstNumber(properties, "ss58Format") is { } ss58 and <= 16383 ? (ushort)ss58 : _ss58;
            _decimals = FirstNumber(properties, "tokenDecimals") is { } d and <= 38 ? (int)d : _decimals;
        }

        var chain = await _rpc.GetSystemChainAsync(cancellationToken).ConfigureAwait(false);
        _hub.UpdateHealth(h => h with { ChainName = chain });
        _propertiesRead = true;
    }

    // tokenDecimals and ss58Format may be a number or an array whose first entry is the native token.
    private static long? FirstNumber(JsonElement properties, string name)
    {
        if (!properties.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            value = value[0];
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0 ? n : null;
    }

    private void Publish(uint number, string hash)
    {
        var state = _state!;
        var figures = state.Compute(PalletTime(number), (ulong)_options.Window.TotalSeconds);
        if (figures.PendingListLength != figures.Pending)
        {
            LogPendingMismatch(number, figures.PendingListLength, figures.Pending);
        }

        _hub.Publish(new ChainSnapshot(number, hash, _specVersion, _time.GetUtcNow(), figures));
    }

    /// <summary>The pallets' clock at a block: block × <c>pallet_seconds_per_block</c>.</summary>
    private ulong PalletTime(uint block) => (ulong)block * (ulong)_options.PalletSecondsPerBlock;

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Synced at block {Block}: {Jobs} jobs, {Gpus} GPUs in {Milliseconds:F0} ms")]
    private partial void LogSynced(uint block, int jobs, int gpus, double milliseconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Following the chain failed ({Kind}): {Error}; retrying in {Seconds:F1} s")]
    private partial void LogFailed(string kind, string error, double seconds);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Full sync requested: {Reason}")]
    private partial void LogResyncRequested(string reason);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Runtime {SpecName} spec version {SpecVersion}, metadata V{MetadataVersion}: schema resolved")]
    private partial void LogSchema(string specName, uint specVersion, byte metadataVersion);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "Following the chain failed unexpectedly; retrying in {Seconds:F1} s")]
    private partial void LogUnexpected(Exception exception, double seconds);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "The node refused the runtime-version subscription ({Error}); the runtime version is read at each block instead")]
    private partial void LogVersionsRefused(string error);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Chain pinned: genesis {Genesis}, first read from {Endpoint}")]
    private partial void LogGenesisPinned(string genesis, string endpoint);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} refused: it serves another chain (genesis {Genesis}, the chain followed has {Pinned}); nothing it sends is used ({Suppressed} more refusals since the last warning)")]
    private partial void LogRefused(string endpoint, string genesis, string pinned, long suppressed);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} is {Lag} blocks behind: its finalized head is {Head}, the kept state is at block {Kept}; the figures are kept until it catches up ({Suppressed} more such warnings left out)")]
    private partial void LogLagging(string endpoint, long lag, uint head, uint kept, long suppressed);

    [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "Endpoint {Endpoint} caught up at block {Head}")]
    private partial void LogCaughtUp(string endpoint, uint head);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Endpoint {Endpoint} sent {Detail}; ignored ({Count} at once, {Suppressed} more left out since the last warning); the endpoint is not believed until it is quiet")]
    private partial void LogNonsense(string endpoint, string detail, long count, long suppressed);

    [LoggerMessage(EventId = 314, Level = LogLevel.Information, Message = "Endpoint {Endpoint} believed again after {Blocks} quiet block times")]
    private partial void LogBelievedAgain(string endpoint, int blocks);

    [LoggerMessage(EventId = 315, Level = LogLevel.Warning, Message = "Re-org under finality: best: {Blocks} block(s) taken back to block {Ancestor}, following the new best chain to block {Head}")]
    private partial void LogReorg(int blocks, uint ancestor, uint head);

    [LoggerMessage(EventId = 316, Level = LogLevel.Information, Message = "Verified the kept state at block {Block}: {Drift} value(s) differed, in {Milliseconds:F0} ms")]
    private partial void LogVerified(uint block, long drift, double milliseconds);

    [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "Block {Block}: PendingJobs holds {ListLength} ids but {StatusCount} jobs have status Pending")]
    private partial void LogPendingMismatch(uint block, int listLength, long statusCount);
}
