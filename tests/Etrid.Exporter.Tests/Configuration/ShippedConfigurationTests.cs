using Etrid.Exporter.Hosting;
using Etrid.Mithril.Options;
using Etrid.Scaling.ExternalMetrics;
using Etrid.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Tests.Configuration;

/// <summary>The configuration the manifests ship loads (and passes every part's validation) as the exporter reads it, with each overlay's environment overrides.</summary>
public sealed class ShippedConfigurationTests
{
    public static TheoryData<string, string[]> Overlays => new()
    {
        { "base", [] },
        { "keda", ["ETRID_EXTERNAL_METRICS__ENABLED=false", "ETRID_MITHRIL_AUTO__HPA__NAME=keda-hpa-etrid-gpu-provider"] },
        // The component's keys; the files it mounts are stood in for here (the scaler checks they exist).
        { "keda + keda-tls", ["ETRID_EXTERNAL_METRICS__ENABLED=false", "ETRID_MITHRIL_AUTO__HPA__NAME=keda-hpa-etrid-gpu-provider", "ETRID_KEDA_SCALER__LISTEN=https://0.0.0.0:6000", "ETRID_KEDA_SCALER__TLS__CERT_FILE={file}", "ETRID_KEDA_SCALER__TLS__KEY_FILE={file}"] },
    };

    [Theory]
    [MemberData(nameof(Overlays))]
    public void TheManifestsConfigMap_Loads_WithEveryOverlaysEnvironment(string overlay, string[] environment)
    {
        var file = Path.GetTempFileName();
        var env = environment.Select(e => e.Replace("{file}", file, StringComparison.Ordinal).Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (checkedConfiguration, problems) = ExporterHost.Check(Path.Combine(RepositoryRoot.Path, "manifests", "base", "exporter", "exporter.yaml"), env);
        Assert.True(problems.Count == 0, $"{overlay}: {string.Join("; ", problems)}");
        using var done = checkedConfiguration!;
        var externalMetrics = done.Services.GetRequiredService<IOptions<ExternalMetricsOptions>>().Value;
        Assert.Equal("/var/run/serving-cert/tls.crt", externalMetrics.Tls.CertFile);
        Assert.Equal(overlay == "base", externalMetrics.Enabled);

        // The burst controller reads the HPA of the overlay: its own, or the one KEDA makes.
        var burst = done.Services.GetRequiredService<IOptions<MithrilAutoOptions>>().Value;
        Assert.False(burst.Enabled);
        Assert.Equal(overlay == "base" ? "etrid-ai-gpu-scaler" : "keda-hpa-etrid-gpu-provider", burst.Hpa.Name);
        File.Delete(file);
    }
}
