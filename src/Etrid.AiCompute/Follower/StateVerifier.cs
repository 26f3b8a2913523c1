using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Scale;
using Microsoft.Extensions.Logging;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// What a fresh read is checked and completed with: the drift between the kept state and one read afresh at
/// the same block (every job and GPU compared), whether a verification is due, and the backfill of the
/// assignments of the window's blocks that a full sync cannot see in the state.
/// </summary>
internal sealed partial class StateVerifier
{
    private readonly ISubstrateRpc _rpc;
    private readonly FollowerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _lastVerifyTimestamp;

    public StateVerifier(ISubstrateRpc rpc, FollowerOptions options, ILogger logger, TimeProvider time)
    {
        _rpc = rpc;
        _options = options;
        _logger = logger;
        _time = time;
    }

    /// <summary>Whether the kept state is due to be compared with a fresh read (<c>chain.verify_interval</c> since the last full read).</summary>
    public bool Due => _options.VerifyInterval > TimeSpan.Zero && _time.GetElapsedTime(_lastVerifyTimestamp) >= _options.VerifyInterval;

    /// <summary>A full read just happened: the next verification is an interval away.</summary>
    public void Verified() => _lastVerifyTimestamp = _time.GetTimestamp();

    /// <summary>Counts the jobs and GPUs whose values differ between <paramref name="kept"/> and <paramref name="fresh"/> (read at the same block), and logs any.</summary>
    public long Compare(AiComputeState kept, AiComputeState fresh, uint block)
    {
        long drift = 0;
        foreach (var id in kept.JobIds.Union(fresh.JobIds))
        {
            if (kept.GetJob(id) != fresh.GetJob(id))
            {
                drift++;
            }
        }

        foreach (var id in kept.Gpus.Keys.Union(fresh.Gpus.Keys))
        {
            var a = kept.Gpus.GetValueOrDefault(id);
            var b = fresh.Gpus.GetValueOrDefault(id);
            if (a?.Status != b?.Status || !(a?.Provider ?? []).AsSpan().SequenceEqual(b?.Provider ?? []))
            {
                drift++;
            }
        }

        if (drift > 0)
        {
            LogDrift(drift, block);
        }

        return drift;
    }

    /// <summary>Reads the events of the window's blocks up to <paramref name="head"/> and records their assignments in <paramref name="state"/>.</summary>
    public async Task BackfillAssignmentsAsync(AiComputeSchema schema, uint head, AiComputeState state, CancellationToken cancellationToken)
    {
        var blocks = (uint)Math.Min(uint.MaxValue, _options.Window.TotalSeconds / _options.PalletSecondsPerBlock);
        var first = head > blocks ? head - blocks : 1;
        var numbers = new List<uint>();
        for (var n = first; n <= head && n >= first; n++)
        {
            numbers.Add(n);
        }

        var results = new Dictionary<uint, IReadOnlyList<ChainEvent>>();
        foreach (var chunk in numbers.Chunk(16))
        {
            var tasks = chunk.Select(async n =>
            {
                try
                {
                    var blockHash = await _rpc.GetBlockHashAsync(n, cancellationToken).ConfigureAwait(false);
                    if (blockHash is null)
                    {
                        return (n, (IReadOnlyList<ChainEvent>)[]);
                    }

                    var events = (await _rpc.QueryStorageAtAsync([schema.Events.ValueKey], blockHash, cancellationToken).ConfigureAwait(false)).Changes;
                    return (n, schema.DecodeEvents(BlockProcessor.Value(events, 0)));
                }
                catch (SubstrateRpcException e) when (e.Code == 4003)
                {
                    // Pruned state: the window starts later than wanted.
                    LogPruned(n, e.Message);
                    return (n, (IReadOnlyList<ChainEvent>)[]);
                }
                catch (ScaleDecodeException e)
                {
                    // Events of an older runtime: those blocks do not count towards the window.
                    LogPruned(n, e.Message);
                    return (n, (IReadOnlyList<ChainEvent>)[]);
                }
            }).ToList();
            foreach (var (n, events) in await Task.WhenAll(tasks).ConfigureAwait(false))
            {
                results[n] = events;
            }
        }

        foreach (var n in numbers)
        {
            foreach (var e in results[n])
            {
                if (e is { Name: "JobAssigned", JobId: { } jobId })
                {
                    state.RecordAssignment((ulong)n * (ulong)_options.PalletSecondsPerBlock, jobId);
                }
            }
        }
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Verification at block {Block} found {Drift} value(s) that differed from the kept state")]
    private partial void LogDrift(long drift, uint block);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Events of block {Block} skipped for the window: {Error}")]
    private partial void LogPruned(uint block, string error);
}
