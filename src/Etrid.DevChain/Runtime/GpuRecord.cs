namespace Etrid.DevChain.Runtime;

/// <summary>A GPU node as the GpuRegistry pallet stores it.</summary>
public sealed class GpuRecord
{
    public required ulong Id { get; init; }

    public required byte[] Provider { get; init; }

    public string Model { get; init; } = "A100";

    public ushort VramGb { get; init; } = 80;

    public uint ComputeUnits { get; init; } = 6912;

    public ushort ClockSpeedMhz { get; init; } = 1410;

    public ushort TdpWatts { get; init; } = 400;

    public byte[] TpmQuote { get; init; } = [];

    public uint BenchmarkScore { get; init; } = 1000;

    public ulong AttestationTimestamp { get; init; }

    public UInt128 Stake { get; init; } = UInt128.Parse("100000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    public DevGpuStatus Status { get; set; }

    public ulong JobsCompleted { get; set; }

    public ulong JobsFailed { get; set; }

    public ushort UptimeBps { get; set; }

    public uint Rating { get; set; }

    public uint RatingCount { get; set; }

    /// <summary>AvailabilitySchedule variant: AlwaysOn 0, BusinessHours 1, Custom 2 (with <see cref="CustomSchedule"/>).</summary>
    public byte ScheduleKind { get; init; }

    public byte[] CustomSchedule { get; init; } = [];

    public ulong RegisteredAt { get; init; }

    public ulong LastHeartbeat { get; set; }
}
