using System.Diagnostics;
using Etrid.DevChain.Chain;
using Etrid.DevChain.Runtime;
using Etrid.Substrate;
using Etrid.Substrate.Hashing;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Storage;
using Etrid.Substrate.Values;

namespace Etrid.Bench;

/// <summary>Issue 2's figures: metadata parsing, Job decoding, key hashing, dev chain start from a large state.</summary>
internal static class SubstrateBenchmarks
{
    public static void Run(string root, TextWriter report)
    {
        var kusama = Hex.Decode(File.ReadAllText(Path.Combine(root, "tests", "Etrid.Substrate.Tests", "Fixtures", "metadata", "kusama-v15.hex")));
        var parse = Measure.Time(() => MetadataParser.Parse(kusama));
        report.WriteLine($"| Parse Kusama V15 metadata ({kusama.Length:N0} bytes, 1160 types) | {Measure.Ms(parse.Median)} | {Measure.Ms(parse.P99)} | ≤ 50 ms |");

        var runtime = AiComputeRuntime.Create(1);
        var random = new Random(1);
        var jobs = Enumerable.Range(0, 100_000).Select(i => RuntimeCodec.EncodeJob(new JobRecord
        {
            Id = (ulong)i,
            Submitter = DevAccounts.User(i % 16),
            Payment = (UInt128)random.NextInt64(),
            Status = (DevJobStatus)(i % 6),
            AssignedGpu = i % 6 == 0 ? null : (ulong)(i % 1000),
            ResultHash = i % 6 == 2 ? new byte[32] : null,
            SubmittedAt = (ulong)i,
            CompletedAt = i % 6 >= 2 ? (ulong)i + 60 : null,
        }, 1)).ToArray();
        var decoder = new DynamicDecoder(runtime.Metadata.Types);
        var dynamicDecode = Measure.Time(() =>
        {
            foreach (var job in jobs)
            {
                decoder.Decode(job, runtime.JobType);
            }
        }, warmup: 2, runs: 10);
        report.WriteLine($"| Decode 100,000 `Job` values, dynamic value tree | {Measure.Ms(dynamicDecode.Median)} | {Measure.Ms(dynamicDecode.P99)} | ≤ 100 ms |");

        var codec = Etrid.AiCompute.Schema.AiComputeSchema.Create(runtime.Metadata).JobCodec;
        var typed = Measure.Time(() =>
        {
            for (var i = 0; i < jobs.Length; i++)
            {
                codec.Decode((ulong)i, jobs[i]);
            }
        }, warmup: 2, runs: 10);
        report.WriteLine($"| Decode 100,000 `Job` values by field name (`JobCodec`, what the exporter uses) | {Measure.Ms(typed.Median)} | {Measure.Ms(typed.P99)} | ≤ 100 ms |");

        var skip = Measure.Time(() =>
        {
            foreach (var job in jobs)
            {
                var reader = new ScaleReader(job);
                decoder.Skip(ref reader, runtime.JobType);
            }
        }, warmup: 2, runs: 10);
        report.WriteLine($"| Walk 100,000 `Job` values without allocating (`Skip`) | {Measure.Ms(skip.Median)} | {Measure.Ms(skip.P99)} | — |");

        var prefix = StorageKey.Prefix("JobMarketplace", "Jobs");
        var keyBytes = new byte[8];
        const int keys = 1_000_000;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < keys; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(keyBytes, (ulong)i);
            StorageKey.MapKey(prefix, StorageHasher.Blake2_128Concat, keyBytes);
        }

        report.WriteLine($"| Storage key hashing: `Jobs(id)` full keys (Blake2_128Concat) | {Measure.Number(keys / sw.Elapsed.TotalSeconds)} keys/s | | — |");
        Span<byte> out16 = stackalloc byte[16];
        sw.Restart();
        for (var i = 0; i < keys; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(keyBytes, (ulong)i);
            Twox.Hash128(keyBytes, out16);
        }

        report.WriteLine($"| Storage key hashing: twox128 of 8 bytes | {Measure.Number(keys / sw.Elapsed.TotalSeconds)} hashes/s | | — |");

        sw.Restart();
        var chain = new DevChain.Chain.DevChain(new DevChainOptions { Jobs = 100_000, Gpus = 10_000, BlockTime = TimeSpan.Zero });
        var genesis = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        chain.ProduceBlocks(10);
        var perBlock = sw.Elapsed.TotalMilliseconds / 10;
        report.WriteLine($"| Dev chain genesis with 100,000 jobs and 10,000 GPUs | {Measure.Ms(genesis)} | | a few seconds |");
        report.WriteLine($"| Dev chain block at that size | {Measure.Ms(perBlock)} | | — |");
        chain.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
