using Etrid.Substrate.Scale;

namespace Etrid.DevChain.Runtime;

/// <summary>SCALE encoding of the dev chain's storage values and events, field by field as the pallets declare them.</summary>
public static class RuntimeCodec
{
    public static byte[] EncodeJob(JobRecord job, int layout)
    {
        var w = new ScaleWriter(192);
        w.WriteBytes(job.Submitter)
            .WriteU64(job.ModelId)
            .WriteU8(job.ModelType)
            .WriteBytes(job.InputHash)
            .WriteByteVector(job.OutputFormat)
            .WriteU32(job.MaxComputeTime)
            .WriteU128(job.Payment)
            .WriteU8(job.Priority)
            .WriteU8((byte)job.Status)
            .WriteOption(job.AssignedGpu, (x, v) => x.WriteU64(v));
        if (job.ResultHash is null)
        {
            w.WriteU8(0);
        }
        else
        {
            w.WriteU8(1).WriteBytes(job.ResultHash);
        }

        w.WriteU64(job.SubmittedAt).WriteOption(job.CompletedAt, (x, v) => x.WriteU64(v));
        if (layout >= 2)
        {
            w.WriteOption(job.AssignedAt, (x, v) => x.WriteU64(v));
        }

        return w.ToArray();
    }

    public static byte[] EncodeGpu(GpuRecord gpu)
    {
        var w = new ScaleWriter(160);
        w.WriteBytes(gpu.Provider)
            .WriteString(gpu.Model)
            .WriteU16(gpu.VramGb)
            .WriteU32(gpu.ComputeUnits)
            .WriteU16(gpu.ClockSpeedMhz)
            .WriteU16(gpu.TdpWatts)
            .WriteByteVector(gpu.TpmQuote)
            .WriteU32(gpu.BenchmarkScore)
            .WriteU64(gpu.AttestationTimestamp)
            .WriteU128(gpu.Stake)
            .WriteU8((byte)gpu.Status);
        WriteReputation(w, gpu);
        w.WriteU8(gpu.ScheduleKind);
        if (gpu.ScheduleKind == 2)
        {
            w.WriteByteVector(gpu.CustomSchedule);
        }

        return w.WriteU64(gpu.RegisteredAt).WriteU64(gpu.LastHeartbeat).ToArray();
    }

    public static byte[] EncodeIdList(IReadOnlyCollection<ulong> ids) =>
        new ScaleWriter(1 + ids.Count * 8).WriteVector(ids, (w, id) => w.WriteU64(id)).ToArray();

    public static byte[] EncodeU64(ulong value) => new ScaleWriter(8).WriteU64(value).ToArray();

    public static byte[] EncodeU32(uint value) => new ScaleWriter(4).WriteU32(value).ToArray();

    public static byte[] EncodeU128(UInt128 value) => new ScaleWriter(16).WriteU128(value).ToArray();

    /// <summary><c>Vec&lt;EventRecord&gt;</c>: phase, outer event (pallet index ++ variant ++ fields), no topics.</summary>
    public static byte[] EncodeEvents(IReadOnlyList<DevEvent> events)
    {
        var w = new ScaleWriter(64 + events.Count * 64);
        w.WriteCompact((uint)events.Count);
        foreach (var e in events)
        {
            if (e.Extrinsic is { } index)
            {
                w.WriteU8(0).WriteU32(index);
            }
            else
            {
                w.WriteU8(1);
            }

            w.WriteU8(e.Pallet).WriteU8(e.Variant).WriteBytes(e.Fields).WriteCompact(0);
        }

        return w.ToArray();
    }

    public static DevEvent ExtrinsicSuccess(uint extrinsic, ulong refTime) =>
        new(extrinsic, AiComputeRuntime.SystemIndex, 0, new ScaleWriter(16).WriteCompact(refTime).WriteCompact(0).WriteU8(2).WriteU8(1).ToArray());

    public static DevEvent CodeUpdated(uint extrinsic) => new(extrinsic, AiComputeRuntime.SystemIndex, 2, []);

    public static DevEvent JobSubmitted(uint extrinsic, ulong jobId, byte[] submitter, UInt128 payment) =>
        Job(extrinsic, 0, new ScaleWriter(56).WriteU64(jobId).WriteBytes(submitter).WriteU128(payment));

    public static DevEvent JobAssigned(uint extrinsic, ulong jobId, ulong gpuId) =>
        Job(extrinsic, 1, new ScaleWriter(16).WriteU64(jobId).WriteU64(gpuId));

    public static DevEvent JobCompleted(uint extrinsic, ulong jobId, byte[] resultHash) =>
        Job(extrinsic, 2, new ScaleWriter(40).WriteU64(jobId).WriteBytes(resultHash));

    public static DevEvent JobFailed(uint extrinsic, ulong jobId, byte[] reason) =>
        Job(extrinsic, 3, new ScaleWriter(16 + reason.Length).WriteU64(jobId).WriteByteVector(reason));

    public static DevEvent PaymentReleased(uint extrinsic, ulong jobId, byte[] provider, UInt128 amount) =>
        Job(extrinsic, 4, new ScaleWriter(56).WriteU64(jobId).WriteBytes(provider).WriteU128(amount));

    public static DevEvent JobDisputed(uint extrinsic, ulong jobId) => Job(extrinsic, 5, new ScaleWriter(8).WriteU64(jobId));

    public static DevEvent JobCancelled(uint extrinsic, ulong jobId) => Job(extrinsic, 6, new ScaleWriter(8).WriteU64(jobId));

    public static DevEvent GpuRegistered(uint extrinsic, ulong gpuId, byte[] provider, UInt128 stake) =>
        Gpu(extrinsic, 0, new ScaleWriter(56).WriteU64(gpuId).WriteBytes(provider).WriteU128(stake));

    public static DevEvent GpuUnregistered(uint extrinsic, ulong gpuId, byte[] provider) =>
        Gpu(extrinsic, 1, new ScaleWriter(40).WriteU64(gpuId).WriteBytes(provider));

    public static DevEvent GpuStatusUpdated(uint extrinsic, ulong gpuId, DevGpuStatus status) =>
        Gpu(extrinsic, 2, new ScaleWriter(9).WriteU64(gpuId).WriteU8((byte)status));

    private static DevEvent Job(uint extrinsic, byte variant, ScaleWriter fields) =>
        new(extrinsic, AiComputeRuntime.JobMarketplaceIndex, variant, fields.ToArray());

    private static DevEvent Gpu(uint extrinsic, byte variant, ScaleWriter fields) =>
        new(extrinsic, AiComputeRuntime.GpuRegistryIndex, variant, fields.ToArray());

    private static void WriteReputation(ScaleWriter w, GpuRecord gpu) =>
        w.WriteU64(gpu.JobsCompleted).WriteU64(gpu.JobsFailed).WriteU16(gpu.UptimeBps).WriteU32(gpu.Rating).WriteU32(gpu.RatingCount);
}
