using Etrid.Burst.Policy;

namespace Etrid.Mithril.Tests.Policy;

public sealed class ScaleGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly GateSettings Settings = new() { ScaleUpAfter = TimeSpan.FromSeconds(60), ScaleDownAfter = TimeSpan.FromMinutes(5), IdleDecay = TimeSpan.FromMinutes(1), MaxIdleAgents = 1 };

    /// <summary>Runs ticks (seconds after T0, desired, current) and returns each tick's target.</summary>
    private static List<long> Run(params (int At, long Desired, long Current)[] ticks)
    {
        var state = GateState.Initial;
        var targets = new List<long>();
        foreach (var (at, desired, current) in ticks)
        {
            var decision = ScaleGate.Decide(new GateInput { DesiredGpus = desired, CurrentGpus = current, StepGpus = 8 }, state, T0.AddSeconds(at), Settings);
            state = decision.State;
            targets.Add(decision.TargetGpus);
        }

        return targets;
    }

    [Fact]
    public void SustainedBreach_ScalesUpOnlyAfterScaleUpAfter() =>
        Assert.Equal([0, 0, 0, 16], Run((0, 16, 0), (30, 16, 0), (59, 16, 0), (60, 16, 0)));

    [Fact]
    public void ShortSpike_NeverScalesUp_AndTheClockRestartsAfterIt() =>
        Assert.Equal([0, 0, 0, 0, 0, 16], Run((0, 16, 0), (30, 16, 0), (40, 0, 0), (50, 16, 0), (100, 16, 0), (110, 16, 0)));

    [Fact]
    public void UrgentWait_ScalesUpAtOnce()
    {
        var decision = ScaleGate.Decide(new GateInput { DesiredGpus = 8, CurrentGpus = 0, StepGpus = 8, Urgent = true }, GateState.Initial, T0, Settings);

        Assert.Equal(8, decision.TargetGpus);
        Assert.Contains("wait above", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleFigures_HoldAndRememberNothing()
    {
        var state = new GateState(BreachSince: T0);
        var decision = ScaleGate.Decide(new GateInput { DesiredGpus = 64, CurrentGpus = 8, StepGpus = 8, Fresh = false }, state, T0.AddHours(1), Settings);

        Assert.Equal(8, decision.TargetGpus);
        Assert.Same(state, decision.State);
    }

    [Fact]
    public void Drain_WaitsScaleDownAfter_TrimsBeyondMaxIdle_ThenOneNodePerIdleDecay() =>
        Assert.Equal(
            [32, 32, 8, 8, 0],
            Run((0, 0, 32), (299, 0, 32), (300, 0, 32), (330, 0, 8), (360, 0, 8)));

    [Fact]
    public void SurplusInterruptedByDemand_RestartsTheScaleDownClock() =>
        Assert.Equal([16, 16, 16, 16], Run((0, 0, 16), (200, 16, 16), (250, 0, 16), (500, 0, 16)));

    [Fact]
    public void IdleDecayZero_RemovesANodeEveryTick()
    {
        var settings = Settings with { IdleDecay = TimeSpan.Zero, MaxIdleAgents = 10 };
        var state = new GateState(SurplusSince: T0);
        var first = ScaleGate.Decide(new GateInput { DesiredGpus = 0, CurrentGpus = 24, StepGpus = 8 }, state, T0.AddMinutes(10), settings);
        var second = ScaleGate.Decide(new GateInput { DesiredGpus = 0, CurrentGpus = 16, StepGpus = 8 }, first.State, T0.AddMinutes(10), settings);

        Assert.Equal([16, 8], new[] { first.TargetGpus, second.TargetGpus });
    }
}
