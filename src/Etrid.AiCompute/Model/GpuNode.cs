namespace Etrid.AiCompute.Model;

/// <summary>The fields of a <c>GpuRegistry.GpuNodes</c> value the figures need.</summary>
public sealed record GpuNode(ulong Id, byte[] Provider, GpuStatus Status);
