using Etrid.AiCompute.Figures;

namespace Etrid.AiCompute.Snapshots;

/// <summary>The figures at one block, immutable; consumers check <see cref="ObservedAt"/> before trusting them.</summary>
public sealed record ChainSnapshot(uint BlockNumber, string BlockHash, uint SpecVersion, DateTimeOffset ObservedAt, ChainFigures Figures)
{
    /// <summary>How long ago the block was taken in.</summary>
    public TimeSpan Age(DateTimeOffset now) => now - ObservedAt;
}
