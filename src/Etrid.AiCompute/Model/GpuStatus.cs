namespace Etrid.AiCompute.Model;

/// <summary>A GPU's status, matched to the chain's variants by name.</summary>
public enum GpuStatus : byte
{
    Active,
    Paused,
    Offline,
    Slashed,
}
