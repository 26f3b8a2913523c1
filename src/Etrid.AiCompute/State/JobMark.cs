using System.Buffers.Binary;
using System.IO.Hashing;
using Etrid.AiCompute.Model;

namespace Etrid.AiCompute.State;

/// <summary>
/// What is kept of every job in four bytes: its status (plus one; zero means no job) and a 29-bit fingerprint of
/// the fields that stay the same from assignment on (payment, assigned GPU, submission time, priority, model type,
/// longest compute time). A finished job's record can go once it is counted: a later change of it (a dispute, or a
/// re-org taking it back) brings its new value, and the fingerprint says whether that value still carries the same
/// counted fields, so the old contribution is the new value under the old status.
/// </summary>
internal readonly record struct JobMark
{
    private const int StatusBits = 3;
    private readonly uint _value;

    private JobMark(uint value) => _value = value;

    public bool IsEmpty => _value == 0;

    public JobStatus Status => (JobStatus)((_value & ((1u << StatusBits) - 1)) - 1);

    public uint Fingerprint => _value >> StatusBits;

    public static JobMark From(Job? job) => job is { } j ? new JobMark((FingerprintOf(j) << StatusBits) | (uint)(j.Status + 1)) : default;

    /// <summary>The fingerprint of a job's lasting fields (29 bits).</summary>
    public static uint FingerprintOf(Job job)
    {
        Span<byte> bytes = stackalloc byte[47];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, job.Payment);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], job.AssignedGpu is { } g ? g + 1 : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], job.SubmittedAt);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[32..], job.MaxComputeSeconds);
        bytes[36] = job.Priority is { } p ? (byte)(p + 1) : (byte)0;
        bytes[37] = job.ModelType is { } m ? (byte)(m + 1) : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[38..], job.Id);
        bytes[46] = 0x6a;
        return (uint)(XxHash3.HashToUInt64(bytes) >> (64 - 29));
    }
}
