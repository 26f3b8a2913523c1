namespace Etrid.Burst.Policy;

/// <summary>
/// Hysteresis between demand and action (pure): scale up only after a breach has lasted
/// <c>scale_up_after</c> (or at once when urgent), scale down only after a surplus has lasted
/// <c>scale_down_after</c>, trimming beyond <c>max_idle_agents</c> at once and one node per
/// <c>idle_decay</c> below it. Stale figures hold everything.
/// </summary>
public static class ScaleGate
{
    /// <summary>Decides this tick's target from the input, the remembered state and the time.</summary>
    public static GateDecision Decide(GateInput input, GateState state, DateTimeOffset now, GateSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input.StepGpus);
        if (!input.Fresh)
        {
            return new(input.CurrentGpus, "hold: chain figures are stale", state) { Code = ReasonCodes.StaleFigures };
        }

        var desired = Math.Max(0, input.DesiredGpus);
        var current = Math.Max(0, input.CurrentGpus);
        if (desired > current)
        {
            var since = state.BreachSince ?? now;
            var next = state with { BreachSince = since, SurplusSince = null };
            if (input.Urgent)
            {
                return new(desired, "scale up: average wait above its threshold with local capacity exhausted", next) { Code = ReasonCodes.WaitUrgent };
            }

            if (input.Due)
            {
                return new(desired, "scale up: the oldest pending job is due (wait_threshold less wait_lead)", next) { Code = ReasonCodes.WaitDue };
            }

            var lasted = now - since;
            return lasted >= settings.ScaleUpAfter
                ? new(desired, $"scale up: demand above capacity for {lasted.TotalSeconds:F0} s", next) { Code = ReasonCodes.BreachSustained }
                : new(current, $"wait: demand above capacity for {lasted.TotalSeconds:F0} s of {settings.ScaleUpAfter.TotalSeconds:F0} s", next) { Code = ReasonCodes.Waiting };
        }

        if (desired < current)
        {
            var since = state.SurplusSince ?? now;
            var next = state with { SurplusSince = since, BreachSince = null };
            var lasted = now - since;
            if (lasted < settings.ScaleDownAfter)
            {
                return new(current, $"wait: surplus for {lasted.TotalSeconds:F0} s of {settings.ScaleDownAfter.TotalSeconds:F0} s", next) { Code = ReasonCodes.Waiting };
            }

            var tolerated = (long)settings.MaxIdleAgents * input.StepGpus;
            if (current - desired > tolerated)
            {
                return new(desired + tolerated, "scale down: surplus beyond max_idle_agents", next with { LastRemoval = now }) { Code = ReasonCodes.Surplus };
            }

            if (next.LastRemoval is { } last && now - last < settings.IdleDecay)
            {
                return new(current, "wait: next removal after idle_decay", next) { Code = ReasonCodes.Waiting };
            }

            return new(Math.Max(desired, current - input.StepGpus), "scale down: idle decay, one node", next with { LastRemoval = now }) { Code = ReasonCodes.Drain };
        }

        return new(current, "steady", state with { BreachSince = null, SurplusSince = null });
    }
}
