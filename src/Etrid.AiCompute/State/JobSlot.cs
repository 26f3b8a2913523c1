using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.State;

/// <summary>A job's full record in 48 bytes: optional values are stored plus one, so zero means none (and a default slot, no job).</summary>
internal readonly struct JobSlot
{
    private readonly UInt128 _payment;
    private readonly ulong _assignedGpuPlusOne;
    private readonly ulong _completedAtPlusOne;
    private readonly uint _maxCompute;
    private readonly byte _statusPlusOne;
    private readonly byte _priorityPlusOne;
    private readonly byte _modelTypePlusOne;

    private JobSlot(Job job)
    {
        _payment = job.Payment;
        _assignedGpuPlusOne = job.AssignedGpu is { } g ? g + 1 : 0;
        _completedAtPlusOne = job.CompletedAt is { } c ? c + 1 : 0;
        SubmittedAt = job.SubmittedAt;
        _maxCompute = job.MaxComputeSeconds;
        _statusPlusOne = (byte)(job.Status + 1);
        _priorityPlusOne = job.Priority is { } p ? (byte)(p + 1) : (byte)0;
        _modelTypePlusOne = job.ModelType is { } m ? (byte)(m + 1) : (byte)0;
    }

    public ulong SubmittedAt { get; }

    public bool IsEmpty => _statusPlusOne == 0;

    public static JobSlot From(Job? job) => job is { } j ? new JobSlot(j) : default;

    public Job? ToJob(ulong id) => _statusPlusOne == 0
        ? null
        : new Job(id, (JobStatus)(_statusPlusOne - 1), _payment, _assignedGpuPlusOne == 0 ? null : _assignedGpuPlusOne - 1, SubmittedAt, _completedAtPlusOne == 0 ? null : _completedAtPlusOne - 1)
        {
            Priority = _priorityPlusOne == 0 ? null : (JobPriority)(_priorityPlusOne - 1),
            ModelType = _modelTypePlusOne == 0 ? null : (ModelType)(_modelTypePlusOne - 1),
            MaxComputeSeconds = _maxCompute,
        };
}
