using Etrid.DevChain.Runtime;

namespace Etrid.DevChain.Chain;

/// <summary>
/// One block of a side branch (<see cref="DevChain.ProduceFork"/>): the changes a test scripts for it, each with the
/// pallet's event, applied to the branch's own copies of the jobs (the canonical chain and its workload are untouched).
/// </summary>
public sealed class ForkBlockBuilder
{
    private readonly Func<ulong, JobRecord> _job;
    private readonly int _layout;
    private uint _nextExtrinsic = 1;

    internal ForkBlockBuilder(uint number, ulong palletTime, int layout, Func<ulong, JobRecord> job)
    {
        Number = number;
        PalletTime = palletTime;
        _layout = layout;
        _job = job;
    }

    public uint Number { get; }

    /// <summary>The pallets' clock at this block.</summary>
    public ulong PalletTime { get; }

    internal Dictionary<string, byte[]?> Writes { get; } = new(StringComparer.Ordinal);

    internal List<DevEvent> Events { get; } = [];

    /// <summary>The branch's view of a job as of this block (a copy; change it through the methods below).</summary>
    public JobRecord Job(ulong id) => _job(id);

    /// <summary><c>submit_result</c>: a processing job completes at this block.</summary>
    public void Complete(ulong id)
    {
        var job = Expect(id, DevJobStatus.Processing);
        job.Status = DevJobStatus.Completed;
        job.CompletedAt = PalletTime;
        job.ResultHash = Enumerable.Repeat((byte)0x5a, 32).ToArray();
        Events.Add(RuntimeCodec.JobCompleted(_nextExtrinsic++, id, job.ResultHash));
        Write(job);
    }

    /// <summary><c>report_failure</c>: a processing job fails at this block.</summary>
    public void Fail(ulong id)
    {
        var job = Expect(id, DevJobStatus.Processing);
        job.Status = DevJobStatus.Failed;
        job.CompletedAt = PalletTime;
        Events.Add(RuntimeCodec.JobFailed(_nextExtrinsic++, id, "fork"u8.ToArray()));
        Write(job);
    }

    /// <summary><c>dispute_job</c>: a completed job is disputed.</summary>
    public void Dispute(ulong id)
    {
        var job = Expect(id, DevJobStatus.Completed);
        job.Status = DevJobStatus.Disputed;
        Events.Add(RuntimeCodec.JobDisputed(_nextExtrinsic++, id));
        Write(job);
    }

    private JobRecord Expect(ulong id, DevJobStatus status)
    {
        var job = _job(id);
        return job.Status == status ? job : throw new InvalidOperationException($"job {id} is {job.Status}, not {status}, on this branch");
    }

    private void Write(JobRecord job) => Writes[StorageKeys.Job(job.Id)] = RuntimeCodec.EncodeJob(job, _layout);
}
