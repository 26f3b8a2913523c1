using Etrid.DevChain.Runtime;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Storage;

namespace Etrid.DevChain.Tests.Runtime;

public class AiComputeRuntimeTests
{
    private static readonly AiComputeRuntime Layout1 = AiComputeRuntime.Create(1);

    [Fact]
    public void MetadataBytes_ParseBackToTheSameMetadata()
    {
        var parsed = MetadataParser.Parse(Layout1.MetadataBytes);
        Assert.Equal(14, parsed.Version);
        Assert.Equal(Layout1.MetadataBytes, MetadataWriter.Write(parsed));
        Assert.Equal(["System:0", "Timestamp:1", "GpuRegistry:12", "JobMarketplace:13"], parsed.Pallets.Select(p => $"{p.Name}:{p.Index}"));
    }

    [Theory]
    [InlineData("JobMarketplace", "Jobs", StorageEntryModifier.Optional, true, "u64", "pallet_job_marketplace::pallet::Job")]
    [InlineData("JobMarketplace", "NextJobId", StorageEntryModifier.Default, false, null, "u64")]
    [InlineData("JobMarketplace", "UserJobs", StorageEntryModifier.Default, true, "sp_core::crypto::AccountId32", "bounded_collections::bounded_vec::BoundedVec")]
    [InlineData("JobMarketplace", "GpuJobs", StorageEntryModifier.Default, true, "u64", "bounded_collections::bounded_vec::BoundedVec")]
    [InlineData("JobMarketplace", "PendingJobs", StorageEntryModifier.Default, false, null, "bounded_collections::bounded_vec::BoundedVec")]
    [InlineData("JobMarketplace", "TotalJobs", StorageEntryModifier.Default, false, null, "u64")]
    [InlineData("JobMarketplace", "TotalVolume", StorageEntryModifier.Default, false, null, "u128")]
    [InlineData("GpuRegistry", "GpuNodes", StorageEntryModifier.Optional, true, "u64", "pallet_gpu_registry::pallet::GpuNode")]
    [InlineData("GpuRegistry", "NextGpuId", StorageEntryModifier.Default, false, null, "u64")]
    [InlineData("GpuRegistry", "ProviderGpus", StorageEntryModifier.Default, true, "sp_core::crypto::AccountId32", "bounded_collections::bounded_vec::BoundedVec")]
    [InlineData("GpuRegistry", "ActiveGpuCount", StorageEntryModifier.Default, false, null, "u64")]
    public void StorageItems_MatchTheChainSpec(string pallet, string item, StorageEntryModifier modifier, bool isMap, string? key, string value)
    {
        var metadata = Layout1.Metadata;
        var entry = metadata.FindPallet(pallet)!.FindStorage(item)!;
        Assert.Equal(modifier, entry.Modifier);
        Assert.Equal(isMap, entry.IsMap);
        if (isMap)
        {
            Assert.Equal([StorageHasher.Blake2_128Concat], entry.Hashers);
            Assert.Equal(key, Name(metadata.Types, entry.KeyType!.Value));
        }

        Assert.Equal(value, Name(metadata.Types, entry.ValueType));
    }

    [Theory]
    [InlineData("JobMarketplace", "PlatformFeeBps", "f401")]
    [InlineData("JobMarketplace", "MaxJobDuration", "10270000")]
    [InlineData("GpuRegistry", "MinimumStake", "000010632d5ec76b0500000000000000")]
    [InlineData("GpuRegistry", "SlashPercentage", "e803")]
    [InlineData("GpuRegistry", "MaxOfflineBlocks", "e8030000")]
    [InlineData("System", "SS58Prefix", "2a00")]
    public void Constants_MatchTheChainSpec(string pallet, string name, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Layout1.Metadata.FindPallet(pallet)!.FindConstant(name)!.Value));
    }

    [Fact]
    public void Job_FieldsInDeclarationOrder_AndUpgradeAppendsAssignedAt()
    {
        string[] expected = ["submitter", "model_id", "model_type", "input_hash", "output_format", "max_compute_time", "payment", "priority", "status", "assigned_gpu", "result_hash", "submitted_at", "completed_at"];
        Assert.Equal(expected, Fields(Layout1, Layout1.JobType));
        var layout2 = AiComputeRuntime.Create(2);
        Assert.Equal([.. expected, "assigned_at"], Fields(layout2, layout2.JobType));
    }

    [Fact]
    public void Events_VariantsMatchTheChainSpec()
    {
        var types = Layout1.Metadata.Types;
        var jobEvent = (VariantTypeDef)types.Resolve(Layout1.Metadata.FindPallet("JobMarketplace")!.EventType!.Value).Def;
        Assert.Equal(["JobSubmitted:0", "JobAssigned:1", "JobCompleted:2", "JobFailed:3", "PaymentReleased:4", "JobDisputed:5", "JobCancelled:6"], jobEvent.Variants.Select(v => $"{v.Name}:{v.Index}"));
        var gpuEvent = (VariantTypeDef)types.Resolve(Layout1.Metadata.FindPallet("GpuRegistry")!.EventType!.Value).Def;
        Assert.Equal(["GpuRegistered:0", "GpuUnregistered:1", "GpuStatusUpdated:2", "AvailabilityUpdated:3", "ProviderSlashed:4", "ReputationUpdated:5"], gpuEvent.Variants.Select(v => $"{v.Name}:{v.Index}"));
    }

    private static string[] Fields(AiComputeRuntime runtime, uint type) =>
        ((CompositeTypeDef)runtime.Metadata.Types.Resolve(type).Def).Fields.Select(f => f.Name!).ToArray();

    private static string Name(TypeRegistry types, uint id)
    {
        var type = types.Resolve(id);
        return type.Def is PrimitiveTypeDef p ? p.Primitive.ToString().ToLowerInvariant() : type.PathString;
    }
}
