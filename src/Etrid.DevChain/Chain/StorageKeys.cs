using Etrid.Substrate.Storage;

namespace Etrid.DevChain.Chain;

/// <summary>Hex storage keys (no 0x) of the items the dev chain writes.</summary>
internal static class StorageKeys
{
    public static readonly string SystemNumber = Prefix("System", "Number");
    public static readonly string SystemEvents = Prefix("System", "Events");
    public static readonly string TimestampNow = Prefix("Timestamp", "Now");
    public static readonly string NextJobId = Prefix("JobMarketplace", "NextJobId");
    public static readonly string PendingJobs = Prefix("JobMarketplace", "PendingJobs");
    public static readonly string TotalJobs = Prefix("JobMarketplace", "TotalJobs");
    public static readonly string TotalVolume = Prefix("JobMarketplace", "TotalVolume");
    public static readonly string NextGpuId = Prefix("GpuRegistry", "NextGpuId");
    public static readonly string ActiveGpuCount = Prefix("GpuRegistry", "ActiveGpuCount");

    private static readonly byte[] BlockHashPrefix = StorageKey.Prefix("System", "BlockHash");
    private static readonly byte[] JobsPrefix = StorageKey.Prefix("JobMarketplace", "Jobs");
    private static readonly byte[] UserJobsPrefix = StorageKey.Prefix("JobMarketplace", "UserJobs");
    private static readonly byte[] GpuJobsPrefix = StorageKey.Prefix("JobMarketplace", "GpuJobs");
    private static readonly byte[] GpuNodesPrefix = StorageKey.Prefix("GpuRegistry", "GpuNodes");
    private static readonly byte[] ProviderGpusPrefix = StorageKey.Prefix("GpuRegistry", "ProviderGpus");

    public static string BlockHash(uint number) => Map(BlockHashPrefix, StorageHasher.Twox64Concat, Le32(number));

    public static string Job(ulong id) => Map(JobsPrefix, StorageHasher.Blake2_128Concat, Le64(id));

    public static string UserJobs(byte[] account) => Map(UserJobsPrefix, StorageHasher.Blake2_128Concat, account);

    public static string GpuJobs(ulong gpuId) => Map(GpuJobsPrefix, StorageHasher.Blake2_128Concat, Le64(gpuId));

    public static string GpuNode(ulong id) => Map(GpuNodesPrefix, StorageHasher.Blake2_128Concat, Le64(id));

    public static string ProviderGpus(byte[] account) => Map(ProviderGpusPrefix, StorageHasher.Blake2_128Concat, account);

    private static byte[] Le32(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Le64(ulong value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static string Prefix(string pallet, string item) => Convert.ToHexStringLower(StorageKey.Prefix(pallet, item));

    private static string Map(byte[] prefix, StorageHasher hasher, byte[] key) => Convert.ToHexStringLower(StorageKey.MapKey(prefix, hasher, key));
}
