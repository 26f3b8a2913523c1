namespace Etrid.AiCompute.Model;

/// <summary>A job's status, matched to the chain's variants by name.</summary>
public enum JobStatus : byte
{
    Pending,
    Processing,
    Completed,
    Failed,
    Disputed,
    Cancelled,
}
