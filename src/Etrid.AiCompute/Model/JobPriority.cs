namespace Etrid.AiCompute.Model;

/// <summary>A job's priority, matched to the chain's variants by name.</summary>
public enum JobPriority : byte
{
    Economy,
    Standard,
    Premium,
}
