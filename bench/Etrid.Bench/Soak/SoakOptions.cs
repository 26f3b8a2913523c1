using System.Globalization;

namespace Etrid.Bench.Soak;

/// <summary>
/// <c>soak [minutes] [--seed N] [--storm-clients N] [--churn-connections N]</c>: the run's length (default 5
/// minutes), the seed of the workload and the fault schedule (default 1), the clients of each scrape storm (default
/// 500) and the TLS connections of each churn round (default 1,000, half refused).
/// </summary>
internal sealed record SoakOptions
{
    public TimeSpan Length { get; init; } = TimeSpan.FromMinutes(5);

    public int Seed { get; init; } = 1;

    public int StormClients { get; init; } = 500;

    public int ChurnConnections { get; init; } = 1_000;

    /// <summary>The exporter's <c>chain.staleness_limit</c> in the soak (set, so the check and the exporter agree).</summary>
    public TimeSpan StalenessLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The reference chain's block time (and the exporter's <c>chain.block_time</c>).</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Parses the words after <c>soak</c>.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            int Next() => i + 1 < args.Count ? int.Parse(args[++i], CultureInfo.InvariantCulture) : throw new FormatException($"{args[i]} needs a number");
            options = args[i] switch
            {
                "--seed" => options with { Seed = Next() },
                "--storm-clients" => options with { StormClients = Next() },
                "--churn-connections" => options with { ChurnConnections = Next() },
                var minutes when double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 => options with { Length = TimeSpan.FromMinutes(m) },
                var other => throw new FormatException($"soak: unknown argument '{other}' (soak [minutes] [--seed N] [--storm-clients N] [--churn-connections N])"),
            };
        }

        return options;
    }
}
