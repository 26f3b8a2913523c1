using System.Globalization;

namespace Etrid.DevChain.Workloads;

/// <summary>
/// A piecewise-constant arrival-rate profile counted in blocks from the start of the live chain:
/// phases in order, then again from the first when <see cref="Repeat"/> is set (else the last phase holds).
/// Used by the dev chain (<c>--workload</c>), the demo and the burst simulation, so all three see the same shape.
/// </summary>
public sealed record WorkloadProfile
{
    /// <summary>Largest rate a phase may ask (the dev chain's own bound on <c>--arrival-rate</c>).</summary>
    public const double MaxJobsPerBlock = 10000;

    /// <summary>The phases in order; at least one.</summary>
    public required IReadOnlyList<WorkloadPhase> Phases { get; init; }

    /// <summary>Start again from the first phase after the last; false holds the last phase for ever.</summary>
    public bool Repeat { get; init; } = true;

    /// <summary>Blocks in one pass through the phases.</summary>
    public long CycleBlocks => Phases.Sum(p => (long)p.Blocks);

    /// <summary>A single phase at <paramref name="jobsPerBlock"/> for ever (the dev chain's classic workload).</summary>
    public static WorkloadProfile Constant(double jobsPerBlock) => new() { Phases = [new WorkloadPhase(jobsPerBlock, 1, "constant")], Repeat = false };

    /// <summary>
    /// The demo's shape, seeded: a short quiet start (10–15 blocks), a surge at 4× the base rate for 30–45
    /// blocks, then a long quiet at half the base rate (150–200 blocks) in which the backlog drains; repeating.
    /// At a 2 s block time the first surge starts within 30 s and lasts 60–90 s.
    /// </summary>
    public static WorkloadProfile Bursty(double baseJobsPerBlock, int seed)
    {
        var random = new Random(seed);
        return new WorkloadProfile
        {
            Phases =
            [
                new WorkloadPhase(baseJobsPerBlock, random.Next(10, 16), "quiet"),
                new WorkloadPhase(baseJobsPerBlock * 4, random.Next(30, 46), "surge"),
                new WorkloadPhase(baseJobsPerBlock / 2, random.Next(150, 201), "quiet"),
            ],
        };
    }

    /// <summary>
    /// A seeded day of 6 s blocks (14,400 blocks): quiet night hours at a quarter of the base rate, a
    /// working day at the base rate, and 3 to 5 surges of 20–60 minutes at 3–6× the base rate at seeded times.
    /// </summary>
    public static WorkloadProfile BurstyDay(double baseJobsPerBlock, int seed, int secondsPerBlock = 6)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(secondsPerBlock);
        var random = new Random(seed);
        int Blocks(double minutes) => Math.Max(1, (int)Math.Round(minutes * 60 / secondsPerBlock));
        var surges = random.Next(3, 6);

        // Surge start minutes within the working day (07:00–21:00), sorted and at least 40 min apart.
        var starts = new List<int>();
        while (starts.Count < surges)
        {
            var start = random.Next(7 * 60, (21 * 60) - 60);
            if (starts.All(s => Math.Abs(s - start) >= 100))
            {
                starts.Add(start);
            }
        }

        starts.Sort();
        var phases = new List<WorkloadPhase>();
        var minute = 0;
        void Quiet(int until)
        {
            if (until > minute)
            {
                // Night (before 07:00, after 21:00) at a quarter, day at the base rate.
                foreach (var (from, to, rate, name) in new[] { (0, 7 * 60, 0.25, "night"), (7 * 60, 21 * 60, 1.0, "day"), (21 * 60, 24 * 60, 0.25, "night") })
                {
                    var a = Math.Max(from, minute);
                    var b = Math.Min(to, until);
                    if (b > a)
                    {
                        phases.Add(new WorkloadPhase(baseJobsPerBlock * rate, Blocks(b - a), name));
                    }
                }

                minute = until;
            }
        }

        foreach (var start in starts)
        {
            Quiet(start);
            var length = random.Next(20, 61);
            var factor = 3 + (random.NextDouble() * 3);
            phases.Add(new WorkloadPhase(baseJobsPerBlock * factor, Blocks(length), "surge"));
            minute += length;
        }

        Quiet(24 * 60);
        return new WorkloadProfile { Phases = phases, Repeat = true };
    }

    /// <summary>
    /// A profile from its command-line form: <c>constant</c>, <c>bursty</c> (see <see cref="Bursty"/>),
    /// <c>day</c> (see <see cref="BurstyDay"/>), or phases <c>rate:blocks[,rate:blocks…]</c> repeating.
    /// </summary>
    /// <exception cref="FormatException">The text is none of these, with what is wrong.</exception>
    public static WorkloadProfile Parse(string text, double baseJobsPerBlock, int seed)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim().ToLowerInvariant())
        {
            case "constant":
                return Constant(baseJobsPerBlock);
            case "bursty":
                return Bursty(baseJobsPerBlock, seed);
            case "day":
                return BurstyDay(baseJobsPerBlock, seed);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 1000)
        {
            throw new FormatException($"--workload: '{text}' is not constant, bursty, day or 1 to 1000 phases rate:blocks");
        }

        var phases = new List<WorkloadPhase>(parts.Length);
        foreach (var part in parts)
        {
            var pair = part.Split(':');
            if (pair.Length != 2
                || !double.TryParse(pair[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                || !int.TryParse(pair[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var blocks))
            {
                throw new FormatException($"--workload: phase '{part}' is not rate:blocks (e.g. 2:30)");
            }

            phases.Add(new WorkloadPhase(rate, blocks));
        }

        var profile = new WorkloadProfile { Phases = phases };
        var problems = profile.Validate();
        return problems.Count == 0 ? profile : throw new FormatException(string.Join("; ", problems));
    }

    /// <summary>The mean arrival rate of the <paramref name="block"/>-th block of the profile (0-based).</summary>
    public double RateAt(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        var cycle = CycleBlocks;
        if (block >= cycle && !Repeat)
        {
            return Phases[^1].JobsPerBlock;
        }

        var at = block % cycle;
        foreach (var phase in Phases)
        {
            if (at < phase.Blocks)
            {
                return phase.JobsPerBlock;
            }

            at -= phase.Blocks;
        }

        return Phases[^1].JobsPerBlock;
    }

    /// <summary>The phase of the <paramref name="block"/>-th block (0-based).</summary>
    public WorkloadPhase PhaseAt(long block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        var cycle = CycleBlocks;
        var at = block >= cycle && !Repeat ? cycle - 1 : block % cycle;
        foreach (var phase in Phases)
        {
            if (at < phase.Blocks)
            {
                return phase;
            }

            at -= phase.Blocks;
        }

        return Phases[^1];
    }

    /// <summary>Every problem, naming the <c>--workload</c> flag.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Phases is null || Phases.Count == 0)
        {
            problems.Add("--workload: at least one phase is required");
            return problems;
        }

        for (var i = 0; i < Phases.Count; i++)
        {
            var p = Phases[i];
            if (double.IsNaN(p.JobsPerBlock) || p.JobsPerBlock < 0 || p.JobsPerBlock > MaxJobsPerBlock)
            {
                problems.Add($"--workload: phase {i + 1} rate {p.JobsPerBlock} must be between 0 and {MaxJobsPerBlock} jobs per block");
            }

            if (p.Blocks < 1)
            {
                problems.Add($"--workload: phase {i + 1} lasts {p.Blocks} blocks; at least 1");
            }
        }

        return problems;
    }
}
