using Etrid.AiCompute.Hosting;
using Etrid.Burst.Status;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.DeletionCost;
using Etrid.Exporter.Status;
using Etrid.Mithril.Hosting;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;

namespace Etrid.Exporter.Hosting;

/// <summary>
/// Composes the exporter's parts, each from its own section of the validated configuration, in the manner of
/// YARP's <c>IReverseProxyBuilder</c>: <c>services.AddEtridExporter(options).AddChainFollower().AddExternalMetricsApi()
/// .AddKedaScaler().AddBurstController()</c>. A part switched off in its section adds nothing but what reports it off.
/// </summary>
public sealed class EtridExporterBuilder
{
    internal EtridExporterBuilder(IServiceCollection services, ExporterOptions options, Func<string, string?> environment)
    {
        Services = services;
        Options = options;
        Environment = environment;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The whole configuration, validated at start-up by the same check <c>check-config</c> runs.</summary>
    public ExporterOptions Options { get; }

    /// <summary>Reads environment variables (secrets named by the configuration, the pod's name and namespace).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>The chain client and follower (the <c>chain</c> section) and the snapshot seam every other part reads.</summary>
    public EtridExporterBuilder AddChainFollower()
    {
        Services.AddChainFollower(Options.Chain.ToClientOptions(), Options.Chain.ToFollowerOptions(), Options.Chain.StalenessLimit);
        return this;
    }

    /// <summary>The external metrics API for the HPA (the <c>external_metrics</c> section), on its own listener.</summary>
    public EtridExporterBuilder AddExternalMetricsApi()
    {
        Services.AddExternalMetricsApi(Options.ExternalMetrics, Options.Pbc);
        return this;
    }

    /// <summary>The KEDA external scaler (the <c>keda_scaler</c> section), on its own listener.</summary>
    public EtridExporterBuilder AddKedaScaler()
    {
        Services.AddKedaScaler(Options.KedaScaler, Options.Pbc);
        return this;
    }

    /// <summary>The burst controller on Mithril's marketplace (the <c>mithril_auto</c> section) and its section of the status page.</summary>
    public EtridExporterBuilder AddBurstController()
    {
        Services.AddMithrilBurstController(Options.MithrilAuto, Environment);
        Services.AddStatusSection("burst", sp =>
        {
            var burst = sp.GetRequiredService<IBurstStatusSource>();
            return () => burst.Current;
        });
        return this;
    }

    /// <summary>The deletion-cost keeper for workers on cloud spot nodes (the <c>deletion_cost</c> section, off by default).</summary>
    public EtridExporterBuilder AddDeletionCostKeeper()
    {
        Services.AddDeletionCostKeeper(Options.DeletionCost, Options.MithrilAuto, Environment);
        return this;
    }
}
