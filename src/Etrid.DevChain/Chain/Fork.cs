using Etrid.DevChain.Runtime;

namespace Etrid.DevChain.Chain;

/// <summary>
/// A side branch on top of canonical block <see cref="Point"/>: its blocks, each one's storage writes layered over the
/// canonical state at the fork point, and its own copies of the jobs it changed. It adds no keys, so keys page as at
/// the fork point.
/// </summary>
internal sealed class Fork
{
    public Fork(uint point) => Point = point;

    public uint Point { get; }

    public List<BlockInfo> Blocks { get; } = [];

    public List<Dictionary<string, byte[]?>> Writes { get; } = [];

    public Dictionary<ulong, JobRecord> Jobs { get; } = [];

    public uint Head => Point + (uint)Blocks.Count;

    /// <summary>The index of the branch's block with this hash, or −1.</summary>
    public int IndexOf(string hash) => Blocks.FindIndex(b => string.Equals(b.Hash, hash, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value at the branch's block <paramref name="index"/>, when the branch wrote it (found is false: the fork point's).</summary>
    public byte[]? Get(string key, int index, out bool found)
    {
        for (var i = index; i >= 0; i--)
        {
            if (Writes[i].TryGetValue(key, out var value))
            {
                found = true;
                return value;
            }
        }

        found = false;
        return null;
    }
}
