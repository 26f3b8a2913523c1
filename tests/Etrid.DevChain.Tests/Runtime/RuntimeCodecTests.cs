using System.Numerics;
using Etrid.DevChain.Runtime;
using Etrid.Substrate;
using Etrid.Substrate.Values;
using Etrid.Tests.Shared;

namespace Etrid.DevChain.Tests.Runtime;

/// <summary>The value vectors of the chain spec, encoded by the dev chain and decoded through its metadata.</summary>
public class RuntimeCodecTests
{
    private static readonly AiComputeRuntime Runtime = AiComputeRuntime.Create(1);

    private static JobRecord SpecJob(DevJobStatus status) => new()
    {
        Id = 1,
        Submitter = DevAccounts.Alice,
        ModelId = 7,
        ModelType = 0,
        InputHash = Enumerable.Repeat((byte)0x11, 32).ToArray(),
        OutputFormat = "json"u8.ToArray(),
        MaxComputeTime = 120,
        Payment = UInt128.Parse("1000000000000000000", System.Globalization.CultureInfo.InvariantCulture),
        Priority = 1,
        Status = status,
        AssignedGpu = status == DevJobStatus.Pending ? null : 0,
        ResultHash = status == DevJobStatus.Pending ? null : Enumerable.Repeat((byte)0x22, 32).ToArray(),
        SubmittedAt = 600,
        CompletedAt = status == DevJobStatus.Pending ? null : 660,
    };

    [Fact]
    public void CompletedJob_MatchesThe159ByteVector()
    {
        var bytes = RuntimeCodec.EncodeJob(SpecJob(DevJobStatus.Completed), 1);
        Assert.Equal(159, bytes.Length);
        Assert.Equal(SpecVectors.CompletedJobHex, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void PendingJob_MatchesThe111ByteVector()
    {
        var bytes = RuntimeCodec.EncodeJob(SpecJob(DevJobStatus.Pending), 1);
        Assert.Equal(111, bytes.Length);
        Assert.EndsWith("000064a7b3b6e00d0000000000000000" + "01" + "00" + "00" + "00" + "5802000000000000" + "00", Convert.ToHexStringLower(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void CompletedJob_DecodesByFieldNameThroughMetadata()
    {
        var job = new DynamicDecoder(Runtime.Metadata.Types).Decode(Convert.FromHexString(SpecVectors.CompletedJobHex), Runtime.JobType);
        Assert.Equal("Completed", ((ScaleVariant)job.Field("status")).Name);
        Assert.Equal(0ul, job.Field("assigned_gpu").AsOption()!.AsUInt64());
        Assert.Equal(BigInteger.Pow(10, 18), job.Field("payment").Integer());
        Assert.Equal(660ul, job.Field("completed_at").AsOption()!.AsUInt64());
        Assert.Equal(DevAccounts.Alice, job.Field("submitter").AsBytes());
    }

    [Fact]
    public void GpuNode_MatchesThe120ByteVector()
    {
        var gpu = new GpuRecord
        {
            Id = 0,
            Provider = DevAccounts.Bob,
            Model = "A100",
            VramGb = 80,
            ComputeUnits = 6912,
            ClockSpeedMhz = 1410,
            TdpWatts = 400,
            BenchmarkScore = 1000,
            AttestationTimestamp = 0,
            Status = DevGpuStatus.Active,
            RegisteredAt = 60,
            LastHeartbeat = 60,
        };
        var expected =
            "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48" + "1041313030" + "5000" + "001b0000" + "8205" + "9001" +
            "00" + "e8030000" + "0000000000000000" + "000010632d5ec76b0500000000000000" + "00" +
            "0000000000000000" + "0000000000000000" + "0000" + "00000000" + "00000000" + "00" + "3c00000000000000" + "3c00000000000000";
        var bytes = RuntimeCodec.EncodeGpu(gpu);
        Assert.Equal(120, bytes.Length);
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
        var decoded = new DynamicDecoder(Runtime.Metadata.Types).Decode(bytes, Runtime.GpuNodeType);
        Assert.Equal("A100", System.Text.Encoding.UTF8.GetString(decoded.Field("specs").Field("model").AsBytes()));
    }

    [Fact]
    public void CustomSchedule_EncodesAsVariantTwoWithBoundedBytes()
    {
        var gpu = new GpuRecord { Id = 0, Provider = DevAccounts.Bob, ScheduleKind = 2, CustomSchedule = Enumerable.Repeat((byte)0xff, 21).ToArray() };
        Assert.Contains("0254" + new string('f', 42), Convert.ToHexStringLower(RuntimeCodec.EncodeGpu(gpu)), StringComparison.Ordinal);
    }

    [Fact]
    public void PendingJobsList_MatchesVector()
    {
        Assert.Equal("0803000000000000000500000000000000", Convert.ToHexStringLower(RuntimeCodec.EncodeIdList([3UL, 5UL])));
    }

    [Fact]
    public void JobAssignedEventRecord_MatchesVector_AndDecodes()
    {
        var bytes = RuntimeCodec.EncodeEvents([RuntimeCodec.JobAssigned(1, 1, 0)]);
        Assert.Equal("04" + "00" + "01000000" + "0d" + "01" + "0100000000000000" + "0000000000000000" + "00", Convert.ToHexStringLower(bytes));
        var records = (ScaleSequence)new DynamicDecoder(Runtime.Metadata.Types).Decode(bytes, Runtime.EventRecordsType);
        var outer = (ScaleVariant)records.Items[0].Field("event");
        Assert.Equal("JobMarketplace", outer.Name);
        var inner = (ScaleVariant)outer.Fields[0].Value;
        Assert.Equal("JobAssigned", inner.Name);
        Assert.Equal(1ul, inner.Field("job_id").AsUInt64());
        Assert.Equal("ApplyExtrinsic", ((ScaleVariant)records.Items[0].Field("phase")).Name);
    }

    [Fact]
    public void EveryEventKind_DecodesThroughMetadata()
    {
        var provider = DevAccounts.Bob;
        DevEvent[] events =
        [
            RuntimeCodec.ExtrinsicSuccess(0, 5_000_000),
            RuntimeCodec.JobSubmitted(1, 3, DevAccounts.Alice, 10),
            RuntimeCodec.JobCompleted(2, 3, new byte[32]),
            RuntimeCodec.JobFailed(3, 4, "oom"u8.ToArray()),
            RuntimeCodec.PaymentReleased(4, 3, DevAccounts.Alice, 9),
            RuntimeCodec.JobDisputed(5, 3),
            RuntimeCodec.JobCancelled(6, 5),
            RuntimeCodec.GpuRegistered(7, 9, provider, 100),
            RuntimeCodec.GpuUnregistered(8, 9, provider),
            RuntimeCodec.GpuStatusUpdated(9, 2, DevGpuStatus.Offline),
            RuntimeCodec.CodeUpdated(10),
        ];
        var records = (ScaleSequence)new DynamicDecoder(Runtime.Metadata.Types).Decode(RuntimeCodec.EncodeEvents(events), Runtime.EventRecordsType);
        var names = records.Items.Select(r =>
        {
            var outer = (ScaleVariant)r.Field("event");
            return $"{outer.Name}.{((ScaleVariant)outer.Fields[0].Value).Name}";
        });
        Assert.Equal(events.Select(e => e.Name), names);
    }
}
