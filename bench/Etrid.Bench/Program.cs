using Etrid.Bench;
using Etrid.Bench.Soak;

// Usage: dotnet run -c Release --project bench/Etrid.Bench [substrate|memory|history|exporter|sync|resident|hostile|year|year-blocks|polkadot|storm|slow-clients|scaling|simulate|connections|soak|all]
var root = FindRoot();
var which = args.Length > 0 ? args[0] : "all";
var report = Console.Out;
if (which is "soak")
{
    // soak [minutes] [--seed N] [--storm-clients N] [--churn-connections N]: its own table; exit 1 on any violation.
    Environment.ExitCode = await SoakBenchmark.RunAsync(root, args[1..], report);
    return;
}

report.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
report.WriteLine();
report.WriteLine("| Measure | Median | p99 | Target |");
report.WriteLine("| --- | --- | --- | --- |");
if (which is "substrate" or "all")
{
    SubstrateBenchmarks.Run(root, report);
}

if (which is "memory" or "all")
{
    MemoryBreakdown.Run(report);
}

if (which is "history" or "all")
{
    StatusHistoryBenchmarks.Run(report);
}

if (which is "resident")
{
    await ExporterBenchmarks.RunResidentAsync(root, report);
}

if (which is "sync")
{
    await ExporterBenchmarks.RunSyncAsync(report);
}

if (which is "year")
{
    await YearBenchmarks.RunAsync(report);
}

if (which is "year-blocks")
{
    await YearBenchmarks.RunPerBlockAsync(report);
}

if (which is "polkadot")
{
    await YearBenchmarks.RunPolkadotAsync(root, report);
}

if (which is "hostile")
{
    await ExporterBenchmarks.RunHostileAsync(report);
}

if (which is "storm")
{
    await ScrapeStormBenchmark.RunAsync(report);
}

if (which is "slow-clients")
{
    await SlowClientsBenchmark.RunAsync(report);
}

if (which is "exporter" or "all")
{
    await ExporterBenchmarks.RunAsync(root, report);
}

if (which is "scaling" or "all")
{
    await ScalingBenchmarks.RunAsync(report);
}

if (which is "connections")
{
    // Rounds after the verb (connections 6), else 6.
    await ConnectionBenchmarks.RunAsync(report, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 6);
}

if (which is "simulate")
{
    // Seeds after the verb (simulate 1 2 3), else 1 to 5.
    var seeds = args.Length > 1 ? args[1..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList() : [1, 2, 3, 4, 5];
    await SimulationBenchmarks.RunAsync(report, seeds);
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Exporter.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}
