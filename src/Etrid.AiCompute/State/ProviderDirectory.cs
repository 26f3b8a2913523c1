using Etrid.Substrate.Ss58;

namespace Etrid.AiCompute.State;

/// <summary>
/// Every GPU→provider pair ever seen, numbered providers and their SS58 addresses. It lives as long
/// as the follower, across full syncs: a GPU that has since unregistered keeps its provider, so the
/// completions on it stay attributed and per-provider totals never go backwards within a process.
/// Owned by the follower's thread.
/// </summary>
public sealed class ProviderDirectory
{
    private readonly Dictionary<ulong, int> _gpuProvider = [];
    private readonly Dictionary<string, int> _providerIndex = new(StringComparer.Ordinal);
    private readonly List<string> _providerAddress = [];

    public ProviderDirectory(ushort ss58Format) => Ss58Format = ss58Format;

    /// <summary>The SS58 prefix addresses are encoded with.</summary>
    public ushort Ss58Format { get; }

    /// <summary>Providers known, numbered 0 to count − 1 in the order first seen.</summary>
    public int ProviderCount => _providerAddress.Count;

    /// <summary>GPUs whose provider is known.</summary>
    public int GpuCount => _gpuProvider.Count;

    /// <summary>The SS58 address of provider number <paramref name="index"/>.</summary>
    public string Address(int index) => _providerAddress[index];

    /// <summary>Remembers which provider a GPU belongs to (a later owner replaces an earlier one).</summary>
    public void Remember(ulong gpuId, ReadOnlySpan<byte> provider)
    {
        var hex = Convert.ToHexStringLower(provider);
        if (!_providerIndex.TryGetValue(hex, out var index))
        {
            index = _providerAddress.Count;
            _providerAddress.Add(Ss58Address.Encode(provider, Ss58Format));
            _providerIndex[hex] = index;
        }

        _gpuProvider[gpuId] = index;
    }

    /// <summary>The provider number of a GPU, when known.</summary>
    public bool TryGetProvider(ulong gpuId, out int provider) => _gpuProvider.TryGetValue(gpuId, out provider);
}
