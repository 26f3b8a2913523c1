using Etrid.DevChain.Runtime;

namespace Etrid.DevChain.Chain;

/// <summary>What one block changes: storage writes (hex key → value, null deletes) and event records.</summary>
internal sealed class BlockBuilder
{
    private uint _nextExtrinsic = 1;

    private readonly int _palletSecondsPerBlock;

    public BlockBuilder(uint number, int layout, int palletSecondsPerBlock)
    {
        Number = number;
        Layout = layout;
        _palletSecondsPerBlock = palletSecondsPerBlock;
    }

    public uint Number { get; }

    /// <summary>The runtime layout the block's values are encoded with.</summary>
    public int Layout { get; set; }

    /// <summary>The pallets' clock: block number × <see cref="DevChainOptions.PalletSecondsPerBlock"/>.</summary>
    public ulong PalletTime => (ulong)Number * (ulong)_palletSecondsPerBlock;

    public Dictionary<string, byte[]?> Writes { get; } = new(StringComparer.Ordinal);

    public List<DevEvent> Events { get; } = [];

    /// <summary>The index of the next extrinsic (0 is the timestamp inherent).</summary>
    public uint NextExtrinsic() => _nextExtrinsic++;

    public void Write(string key, byte[]? value) => Writes[key] = value;

    public void WriteJob(JobRecord job) => Write(StorageKeys.Job(job.Id), RuntimeCodec.EncodeJob(job, Layout));

    public void WriteGpu(GpuRecord gpu) => Write(StorageKeys.GpuNode(gpu.Id), RuntimeCodec.EncodeGpu(gpu));
}
