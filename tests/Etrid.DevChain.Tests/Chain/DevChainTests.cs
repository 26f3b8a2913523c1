using Etrid.DevChain.Chain;
using Etrid.DevChain.Runtime;
using Etrid.Substrate;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Storage;
using Etrid.Substrate.Values;

namespace Etrid.DevChain.Tests.Chain;

public class DevChainTests
{
    private static DevChain.Chain.DevChain NewChain(int seed = 1, int jobs = 300, int gpus = 24, int finalityLag = 2, int historyDepth = 256, double arrivalRate = 3, int finalityNotifyEvery = 1) =>
        new(new DevChainOptions { Seed = seed, Jobs = jobs, Gpus = gpus, BlockTime = TimeSpan.Zero, FinalityLag = finalityLag, HistoryDepth = historyDepth, ArrivalRate = arrivalRate, FinalityNotifyEvery = finalityNotifyEvery });

    private static string Key(string pallet, string item) => Convert.ToHexStringLower(StorageKey.Prefix(pallet, item));

    private static string JobKey(ulong id) => Convert.ToHexStringLower(StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, BitConverter.GetBytes(id)));

    [Fact]
    public async Task SameSeed_ProducesTheSameChain()
    {
        await using var a = NewChain(seed: 5);
        await using var b = NewChain(seed: 5);
        await using var c = NewChain(seed: 6);
        Assert.Equal(a.ProduceBlocks(30).Hash, b.ProduceBlocks(30).Hash);
        Assert.NotEqual(a.Best.Hash, c.ProduceBlocks(30).Hash);
    }

    [Fact]
    public async Task ASideBranch_IsServedAsBest_UntilTheCanonicalChainOutgrowsIt()
    {
        await using var chain = NewChain(finalityLag: 5);
        var point = chain.ProduceBlocks(10);
        var running = chain.GroundTruth().Jobs.First(j => j.Status == DevJobStatus.Processing).Id;
        var announced = new List<BlockInfo>();
        chain.NewBlock += announced.Add;

        var branch = chain.ProduceFork(2, (b, i) =>
        {
            if (i == 0)
            {
                b.Complete(running);
            }
        });
        Assert.Equal(point.Hash, branch[0].ParentHash);
        Assert.Equal(branch[^1], chain.Best);
        Assert.Equal(branch[0], chain.GetBlock(point.Number + 1));
        // The branch's value from its own block on; the fork point's before it and on the canonical chain.
        var atPoint = chain.GetStorage(JobKey(running), point)!;
        Assert.NotEqual(atPoint, chain.GetStorage(JobKey(running), branch[1]));
        Assert.Equal(chain.GetStorage(JobKey(running), branch[0]), chain.GetStorage(JobKey(running), branch[1]));
        Assert.Equal(DevJobStatus.Processing, chain.GroundTruth().Jobs[(int)running].Status);

        // Two canonical blocks tie with the branch and are not announced; the third re-organises the node to them.
        chain.ProduceBlocks(2);
        Assert.Equal(branch[^1], chain.Best);
        var canonical = chain.ProduceBlock();
        Assert.Equal(canonical, chain.Best);
        Assert.NotEqual(branch[0].Hash, chain.GetBlock(point.Number + 1)!.Hash);
        Assert.Equal(branch[0], chain.GetBlock(branch[0].Hash));
        Assert.Equal([.. branch, canonical], announced);
    }

    [Fact]
    public async Task Headers_ChainByParentHash_AndHashIsBlake2OfTheScaleHeader()
    {
        await using var chain = NewChain();
        chain.ProduceBlocks(3);
        for (uint n = 1; n <= 3; n++)
        {
            Assert.Equal(chain.GetBlock(n - 1)!.Hash, chain.GetBlock(n)!.ParentHash);
        }

        var block = chain.GetBlock(3)!;
        var header = new Etrid.Substrate.Scale.ScaleWriter()
            .WriteBytes(Hex.Decode(block.ParentHash)).WriteCompact(3).WriteBytes(Hex.Decode(block.StateRoot))
            .WriteBytes(Hex.Decode(block.ExtrinsicsRoot)).WriteCompact(1).WriteBytes(Hex.Decode(block.DigestLog)).ToArray();
        Assert.Equal(block.Hash, Hex.Encode(Etrid.Substrate.Hashing.Blake2b.Hash(header, 32)));
    }

    [Fact]
    public async Task FinalizedHead_TrailsBestByTheLag()
    {
        await using var chain = NewChain(finalityLag: 3);
        chain.ProduceBlocks(10);
        Assert.Equal(10u, chain.Best.Number);
        Assert.Equal(7u, chain.Finalized.Number);
    }

    [Fact]
    public async Task FinalizedNotifications_SkipBlocksWhenConfigured()
    {
        await using var chain = NewChain(finalityLag: 0, finalityNotifyEvery: 3);
        var notified = new List<uint>();
        chain.NewFinalized += b => notified.Add(b.Number);
        chain.ProduceBlocks(9);
        Assert.Equal([3u, 6, 9], notified);
    }

    [Fact]
    public async Task StorageReads_AtAnOlderBlock_SeeThatBlocksState()
    {
        await using var chain = NewChain(arrivalRate: 20);
        var before = chain.Best;
        var nextBefore = chain.GetStorage(Key("JobMarketplace", "NextJobId"), before);
        chain.ProduceBlocks(5);
        Assert.Equal(nextBefore, chain.GetStorage(Key("JobMarketplace", "NextJobId"), before));
        Assert.NotEqual(nextBefore, chain.GetStorage(Key("JobMarketplace", "NextJobId"), chain.Best));
        Assert.Equal(BitConverter.GetBytes(3u), chain.GetStorage(Key("System", "Number"), chain.GetBlock(3)!));
    }

    [Fact]
    public async Task StorageReads_OlderThanHistory_AreRefused()
    {
        await using var chain = NewChain(historyDepth: 5);
        var genesis = chain.Best;
        chain.ProduceBlocks(10);
        var e = Assert.Throws<StateDiscardedException>(() => chain.GetStorage(Key("System", "Number"), genesis));
        Assert.Contains(genesis.Hash, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_MatchesGroundTruth_AfterManyBlocks()
    {
        await using var chain = NewChain(arrivalRate: 4);
        chain.ProduceBlocks(120);
        var (block, jobs, gpus, pending) = chain.GroundTruth();
        var runtime = chain.RuntimeAt(block);
        var decoder = new DynamicDecoder(runtime.Metadata.Types);

        Assert.Equal((ulong)jobs.Count, BitConverter.ToUInt64(chain.GetStorage(Key("JobMarketplace", "NextJobId"), block)));
        var pendingValue = (ScaleComposite)decoder.Decode(chain.GetStorage(Key("JobMarketplace", "PendingJobs"), block)!, runtime.Metadata.FindPallet("JobMarketplace")!.FindStorage("PendingJobs")!.ValueType);
        Assert.Equal(pending, ((ScaleSequence)pendingValue.Fields[0].Value).Items.Select(i => i.AsUInt64()));
        Assert.Equal(jobs.Where(j => j.Status == DevJobStatus.Pending).Select(j => j.Id).Order(), pending.Order());

        foreach (var job in jobs)
        {
            var value = decoder.Decode(chain.GetStorage(JobKey(job.Id), block)!, runtime.JobType);
            Assert.Equal(job.Status.ToString(), ((ScaleVariant)value.Field("status")).Name);
            Assert.Equal(job.AssignedGpu, value.Field("assigned_gpu").AsOption()?.AsUInt64());
            Assert.Equal(job.CompletedAt, value.Field("completed_at").AsOption()?.AsUInt64());
        }

        var gpuKeys = chain.GetKeysPaged(Key("GpuRegistry", "GpuNodes"), 1000, null, block);
        Assert.Equal(gpus.Count, gpuKeys.Count);
        Assert.All(jobs.Where(j => j.Status == DevJobStatus.Processing), j => Assert.Contains(gpus, g => g.Id == j.AssignedGpu));
        Assert.Contains(jobs, j => j.Status == DevJobStatus.Completed && j.SubmittedAt > 0);
    }

    [Fact]
    public async Task Events_DescribeTheBlocksChanges()
    {
        await using var chain = NewChain(arrivalRate: 5);
        var runtime = chain.RuntimeAt(chain.Best);
        var decoder = new DynamicDecoder(runtime.Metadata.Types);
        var before = chain.GroundTruth().Jobs.Count;
        var submitted = 0;
        for (var i = 0; i < 40; i++)
        {
            var block = chain.ProduceBlock();
            var records = (ScaleSequence)decoder.Decode(chain.GetStorage(Key("System", "Events"), block)!, runtime.EventRecordsType);
            Assert.Equal("System", ((ScaleVariant)records.Items[0].Field("event")).Name);
            foreach (var record in records.Items)
            {
                var outer = (ScaleVariant)record.Field("event");
                var inner = (ScaleVariant)outer.Fields[0].Value;
                if (inner.Name == "JobSubmitted")
                {
                    submitted++;
                }
                else if (inner.Name == "JobAssigned")
                {
                    var job = chain.GroundTruth().Jobs[(int)inner.Field("job_id").AsUInt64()];
                    Assert.Equal(inner.Field("gpu_id").AsUInt64(), job.AssignedGpu);
                }
            }
        }

        Assert.True(submitted > 0);
        Assert.Equal(before + submitted, chain.GroundTruth().Jobs.Count);
    }

    [Fact]
    public async Task Scenario_AddAndRemoveGpus_EmitEventsAndChangeTheRegistry()
    {
        await using var chain = NewChain();
        var before = chain.GroundTruth().Gpus.Count;
        chain.AddGpus(5);
        chain.ProduceBlock();
        Assert.Equal(before + 5, chain.GroundTruth().Gpus.Count);
        chain.RemoveGpus(3);
        chain.ProduceBlock();
        Assert.Equal(before + 2, chain.GroundTruth().Gpus.Count);
        var count = BitConverter.ToUInt64(chain.GetStorage(Key("GpuRegistry", "ActiveGpuCount"), chain.Best));
        Assert.Equal((ulong)(before + 2), count);
    }

    [Fact]
    public async Task Scenario_ArrivalRateZero_StopsSubmissions()
    {
        await using var chain = NewChain();
        chain.SetArrivalRate(0);
        chain.ProduceBlock();
        var jobs = chain.GroundTruth().Jobs.Count;
        chain.ProduceBlocks(20);
        Assert.Equal(jobs, chain.GroundTruth().Jobs.Count);
    }

    [Fact]
    public async Task RuntimeUpgrade_BumpsSpecVersion_AppendsAssignedAt_AndKeepsOldBlocksOld()
    {
        await using var chain = NewChain();
        var old = chain.ProduceBlock();
        var upgradedAt = RaiseAndProduce(chain);
        Assert.Equal(1u, chain.SpecVersionAt(old));
        Assert.Equal(2u, chain.SpecVersionAt(upgradedAt));
        Assert.Equal(2, chain.RuntimeAt(upgradedAt).Layout);
        Assert.Equal(1, chain.RuntimeAt(old).Layout);

        chain.ProduceBlocks(10);
        var runtime = chain.RuntimeAt(chain.Best);
        var decoder = new DynamicDecoder(runtime.Metadata.Types);
        var processing = chain.GroundTruth().Jobs.Where(j => j.Status == DevJobStatus.Processing && j.AssignedAt is not null).ToList();
        Assert.NotEmpty(processing);
        var value = decoder.Decode(chain.GetStorage(JobKey(processing[0].Id), chain.Best)!, runtime.JobType);
        Assert.Equal(processing[0].AssignedAt, value.Field("assigned_at").AsOption()!.AsUInt64());
        var oldDecoder = new DynamicDecoder(chain.RuntimeAt(old).Metadata.Types);
        oldDecoder.Decode(chain.GetStorage(JobKey(0), old)!, chain.RuntimeAt(old).JobType);
    }

    [Fact]
    public async Task LargeState_HoldsEveryJobAndGpu()
    {
        await using var chain = NewChain(jobs: 20_000, gpus: 2_000);
        var block = chain.Best;
        Assert.Equal(20_000ul, BitConverter.ToUInt64(chain.GetStorage(Key("JobMarketplace", "NextJobId"), block)));
        var pending = chain.GroundTruth().Pending.Count;
        Assert.Equal(400, pending);
        var keys = new List<string>();
        string? start = null;
        do
        {
            var page = chain.GetKeysPaged(Key("GpuRegistry", "GpuNodes"), 1000, start, block);
            keys.AddRange(page);
            start = page.Count == 1000 ? page[^1] : null;
        }
        while (start is not null);
        Assert.Equal(2_000, keys.Count);
    }

    [Fact]
    public void Options_Invalid_ListEveryProblemByFlag()
    {
        var problems = new DevChainOptions { Jobs = -1, FinalityLag = -1, ArrivalRate = double.NaN, Gpus = 500, Providers = 2 }.Validate();
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("--jobs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--providers", StringComparison.Ordinal));
    }

    private static BlockInfo RaiseAndProduce(DevChain.Chain.DevChain chain)
    {
        BlockInfo? upgraded = null;
        chain.RuntimeUpgraded += b => upgraded = b;
        chain.UpgradeRuntime();
        chain.ProduceBlock();
        return upgraded ?? throw new InvalidOperationException("no upgrade announced");
    }
}
