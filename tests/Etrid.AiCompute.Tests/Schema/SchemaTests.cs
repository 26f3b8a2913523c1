using Etrid.AiCompute.Model;
using Etrid.AiCompute.Schema;
using Etrid.DevChain.Runtime;
using Etrid.Substrate.Metadata;
using Etrid.Tests.Shared;

namespace Etrid.AiCompute.Tests.Schema;

public class SchemaTests
{
    [Fact]
    public void JobCodec_SpecVector_ReadsTheFiguresFields()
    {
        var schema = AiComputeSchema.Create(AiComputeRuntime.Create(1).Metadata);
        var job = schema.JobCodec.Decode(1, Convert.FromHexString(SpecVectors.CompletedJobHex));
        Assert.Equal(new Job(1, JobStatus.Completed, UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture), 0, 600, 660)
        {
            Priority = JobPriority.Standard,
            ModelType = ModelType.LLM,
            MaxComputeSeconds = 120,
        }, job);
        Assert.Equal(500, schema.PlatformFeeBps);
    }

    [Fact]
    public void JobCodec_AfterUpgrade_ToleratesTheAppendedField()
    {
        var runtime = AiComputeRuntime.Create(2);
        var schema = AiComputeSchema.Create(runtime.Metadata);
        var record = new JobRecord { Id = 5, Submitter = DevAccounts.Alice, Status = DevJobStatus.Processing, AssignedGpu = 3, AssignedAt = 66, SubmittedAt = 60, Payment = 9 };
        var job = schema.JobCodec.Decode(5, RuntimeCodec.EncodeJob(record, 2));
        Assert.Equal(new Job(5, JobStatus.Processing, 9, 3, 60, null) { Priority = JobPriority.Standard, ModelType = ModelType.LLM, MaxComputeSeconds = 600 }, job);
    }

    [Fact]
    public void JobCodec_OldLayoutBytesUnderNewMetadata_IsATypedErrorNamingTheJob()
    {
        var schema = AiComputeSchema.Create(AiComputeRuntime.Create(2).Metadata);
        var e = Assert.Throws<Etrid.Substrate.Scale.ScaleDecodeException>(() => schema.JobCodec.Decode(1, Convert.FromHexString(SpecVectors.CompletedJobHex)));
        Assert.Contains("Jobs(1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RuntimeWithoutThePallets_ListsEveryMissingItem()
    {
        var full = AiComputeRuntime.Create(1).Metadata;
        var stripped = full with { Pallets = full.Pallets.Where(p => p.Name is "System" or "Timestamp").ToList() };
        var e = Assert.Throws<SchemaException>(() => AiComputeSchema.Create(stripped));
        Assert.Contains("JobMarketplace.Jobs", e.Message, StringComparison.Ordinal);
        Assert.Contains("GpuRegistry.GpuNodes", e.Message, StringComparison.Ordinal);
        Assert.Contains(AiComputeSchema.Inspect(stripped), c => c is { Name: "JobMarketplace", Found: false });
    }

    [Fact]
    public void Inspect_DevChain_FindsEverythingWithHashersAndTypes()
    {
        var checks = AiComputeSchema.Inspect(AiComputeRuntime.Create(1).Metadata);
        Assert.All(checks, c => Assert.True(c.Found, c.Name));
        Assert.Equal("map [Blake2_128Concat] u64 -> Job, optional", checks.Single(c => c.Name == "JobMarketplace.Jobs").Detail);
    }

    [Fact]
    public void JobCodec_StatusWithoutAVariant_IsASchemaErrorNamingIt()
    {
        var b = new TypeRegistryBuilder();
        var u64 = b.Primitive(PrimitiveType.U64);
        var u128 = b.Primitive(PrimitiveType.U128);
        var opt = b.Option(u64);
        var status = b.Variant("JobStatus", ("Pending", 0, []), ("Processing", 1, []));
        var job = b.Composite("Job", ("status", status, null), ("payment", u128, null), ("assigned_gpu", opt, null), ("submitted_at", u64, null), ("completed_at", opt, null));
        var e = Assert.Throws<SchemaException>(() => new JobCodec(b.Build(), job));
        Assert.Contains("Job.status has no variant 'Completed'", e.Message, StringComparison.Ordinal);
    }
}
