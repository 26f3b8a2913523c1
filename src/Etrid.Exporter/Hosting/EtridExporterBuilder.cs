using Etrid.AiCompute.Hosting;
using Etrid.Burst.Status;
using Etrid.Exporter.Configuration;
using Etrid.Exporter.DeletionCost;
using Etrid.Exporter.Status;
using Etrid.Mithril.Hosting;
using Etrid.Mithril.Options;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Scaling.Keda;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Hosting;

/// <summary>
/// Composes the exporter's parts, each from its own section of the configuration, in the manner of YARP's
/// <c>IReverseProxyBuilder</c>: <c>services.AddEtridExporter(configuration).AddChainFollower().AddExternalMetricsApi()
/// .AddKedaScaler().AddBurstController()</c>. Each part binds its section into its own options type and registers its
/// validator with <c>ValidateOnStart</c>; a part switched off in its section adds nothing but what reports it off.
/// </summary>
public sealed class EtridExporterBuilder
{
    internal EtridExporterBuilder(IServiceCollection services, IConfiguration configuration, string pbc, Func<string, string?> environment)
    {
        Services = services;
        Configuration = configuration;
        Pbc = pbc;
        Environment = environment;
    }

    /// <summary>The host's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The whole configuration; each part reads only its own section.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The <c>pbc</c> label the parts put on their figures.</summary>
    public string Pbc { get; }

    /// <summary>Reads environment variables (secrets named by the configuration, the pod's name and namespace).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>The chain client and follower (the <c>chain</c> section) and the snapshot seam every other part reads.</summary>
    public EtridExporterBuilder AddChainFollower()
    {
        Services.AddChainFollower(Configuration.GetSection(ChainFollowerServiceCollectionExtensions.SectionName));
        return this;
    }

    /// <summary>The external metrics API for the HPA (the <c>external_metrics</c> section), on its own listener.</summary>
    public EtridExporterBuilder AddExternalMetricsApi()
    {
        Services.AddExternalMetricsApi(Configuration.GetSection(ExternalMetricsOptions.SectionName), Pbc);
        return this;
    }

    /// <summary>The KEDA external scaler (the <c>keda_scaler</c> section), on its own listener.</summary>
    public EtridExporterBuilder AddKedaScaler()
    {
        Services.AddKedaScaler(Configuration.GetSection(KedaScalerOptions.SectionName), Pbc);
        return this;
    }

    /// <summary>The burst controller on Mithril's marketplace (the <c>mithril_auto</c> section) and its section of the status page.</summary>
    public EtridExporterBuilder AddBurstController()
    {
        // Its rules read the environment (secrets given as variables): checked on start by a validator that can.
        var options = AddSection(MithrilAutoOptions.SectionName, new MithrilAutoOptionsValidation(Environment));
        Services.AddMithrilBurstController(options, Environment);
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
        var options = AddSection(DeletionCostOptions.SectionName, new DeletionCostOptionsValidator());
        // It shares the exporter's Kubernetes client and the burst controller's Lease settings (validated by the burst controller's part).
        var burst = Configuration.GetSection(MithrilAutoOptions.SectionName).Get<MithrilAutoOptions>() ?? new MithrilAutoOptions();
        Services.AddDeletionCostKeeper(options, burst, Environment);
        return this;
    }

    /// <summary>
    /// Binds section <paramref name="key"/> (empty: the top level) into <typeparamref name="T"/> for the host, checked on
    /// start by <paramref name="validator"/>; returns the same values bound now, for what the composition itself decides.
    /// </summary>
    internal T AddSection<T>(string key, IValidateOptions<T> validator)
        where T : class, new()
    {
        var section = key.Length == 0 ? Configuration : Configuration.GetSection(key);
        Services.AddOptions<T>().Bind(section).ValidateOnStart();
        Services.TryAddEnumerable(new ServiceDescriptor(typeof(IValidateOptions<T>), validator));
        return section.Get<T>() ?? new T();
    }
}
