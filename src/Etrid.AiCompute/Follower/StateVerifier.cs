using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.AiCompute.State;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Scale;
using Microsoft.Extensions.Logging;

namespace Etrid.AiCompute.Follower;

/// <summary>
/// What the kept state is checked and completed with: the drift between it and the chain read afresh at the
/// same block (every job and GPU compared as it arrives, without a second state), whether a verification is due,
/// and the backfill of the assignments of the window's blocks that a full sync cannot see in the state.
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

    /// <summary>
    /// Reads every job and GPU at <paramref name="hash"/> (block <paramref name="block"/>, where <paramref name="kept"/>
    /// is) and counts those whose values differ from what the kept state holds, and logs any. The values are compared as
    /// they arrive and then dropped, so the check costs the batches in flight, not a second state: a job is compared with
    /// its full record where one is kept, else by status and fingerprint.
    /// </summary>
    public async Task<long> VerifyAsync(AiComputeSchema schema, ChainSyncer syncer, AiComputeState kept, string hash, uint block, CancellationToken cancellationToken)
    {
        long drift = 0;
        long gpusSeen = 0;
        await syncer.ForEachValueAsync(schema.GpuNodes, hash, _options.MaxGpus, "chain.max_gpus", (id, bytes) =>
        {
            var fresh = schema.GpuCodec.Decode(id, bytes);
            if (kept.Gpus.TryGetValue(id, out var gpu))
            {
                gpusSeen++;
                if (gpu.Status != fresh.Status || !gpu.Provider.AsSpan().SequenceEqual(fresh.Provider))
                {
                    drift++;
                }
            }
            else
            {
                drift++;
            }
        }, cancellationToken).ConfigureAwait(false);

        long jobsSeen = 0;
        await syncer.ForEachValueAsync(schema.Jobs, hash, _options.MaxJobs, "chain.max_jobs", (id, bytes) =>
        {
            var fresh = schema.JobCodec.Decode(id, bytes);
            if (kept.StatusOf(id) is not null)
            {
                jobsSeen++;
            }

            if (!kept.Holds(id, fresh))
            {
                drift++;
            }
        }, cancellationToken).ConfigureAwait(false);

        // Kept but no longer on the chain.
        drift += kept.Gpus.Count - gpusSeen + (kept.JobCount - jobsSeen);
        if (drift > 0)
        {
            LogDrift(drift, block);
        }

        return drift;
    }

    /// <summary>
    /// Reads the events of the window's blocks up to <paramref name="head"/> (<paramref name="hash"/>) and records their
    /// assignments in <paramref name="state"/>, with the submission times of the assigned jobs read at the head where the
    /// state keeps no record of them (finished since).
    /// </summary>
    public async Task BackfillAssignmentsAsync(AiComputeSchema schema, uint head, string hash, AiComputeState state, CancellationToken cancellationToken)
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

        var assigned = new List<(uint Block, ulong JobId)>();
        foreach (var n in numbers)
        {
            foreach (var e in results[n])
            {
                if (e is { Name: "JobAssigned", JobId: { } jobId })
                {
                    assigned.Add((n, jobId));
                }
            }
        }

        var submitted = await SubmissionTimesAsync(schema, assigned.Select(a => a.JobId).Where(id => state.GetJob(id) is null).Distinct().ToList(), hash, cancellationToken).ConfigureAwait(false);
        foreach (var (n, jobId) in assigned)
        {
            if ((state.GetJob(jobId)?.SubmittedAt ?? submitted.GetValueOrDefault(jobId)) is { } at)
            {
                state.RecordWait((ulong)n * (ulong)_options.PalletSecondsPerBlock, at);
            }
        }
    }

    // The submission times of jobs the state keeps no record of, read at the head (absent jobs are left out).
    private async Task<Dictionary<ulong, ulong?>> SubmissionTimesAsync(AiComputeSchema schema, List<ulong> ids, string hash, CancellationToken cancellationToken)
    {
        var times = new Dictionary<ulong, ulong?>();
        foreach (var chunk in ids.Chunk(_options.PageSize))
        {
            var keys = chunk.Select(id => AiComputeSchema.KeyForId(schema.Jobs, id)).ToList();
            var values = (await _rpc.QueryStorageAtAsync(keys, hash, cancellationToken).ConfigureAwait(false)).Changes;
            foreach (var change in values)
            {
                if (change.Value is not null)
                {
                    var id = AiComputeSchema.IdFromKey(schema.Jobs, change.Key);
                    times[id] = schema.JobCodec.Decode(id, Etrid.Substrate.Hex.Decode(change.Value)).SubmittedAt;
                }
            }
        }

        return times;
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Verification at block {Block} found {Drift} value(s) that differed from the kept state")]
    private partial void LogDrift(long drift, uint block);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Events of block {Block} skipped for the window: {Error}")]
    private partial void LogPruned(uint block, string error);
}
