using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Keda;

/// <summary>The KEDA external scaler (gRPC): options section <c>keda_scaler</c>.</summary>
public sealed class KedaScalerOptions
{
    /// <summary>The options section's name.</summary>
    public const string SectionName = "keda_scaler";

    /// <summary>Serve the scaler. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>Listen URL: <c>http://</c> for cleartext HTTP/2 (KEDA's default), <c>https://</c> with <c>tls</c>. Default <c>http://0.0.0.0:6000</c>.</summary>
    [ConfigurationKeyName("listen")]
    [Required(ErrorMessage = "keda_scaler.listen is required")]
    public string Listen { get; init; } = "http://0.0.0.0:6000";

    /// <summary>Oldest figures served; older ones answer UNAVAILABLE. Default none: the chain's staleness limit.</summary>
    [ConfigurationKeyName("max_data_age")]
    public TimeSpan? MaxDataAge { get; init; }

    /// <summary>The metric a ScaledObject gets when its metadata names none. Default <c>etrid_job_queue_depth</c>.</summary>
    [ConfigurationKeyName("default_metric")]
    public string DefaultMetric { get; init; } = MetricNames.QueueDepth;

    /// <summary>Optional TLS.</summary>
    [ConfigurationKeyName("tls")]
    public KedaScalerTlsOptions Tls { get; init; } = new();

    /// <summary>Every problem, each as "path.key: what is wrong (value)".</summary>
    public IEnumerable<string> Validate(string path = SectionName)
    {
        if (!ListenAddress.TryParse(Listen, out var address, out var error))
        {
            yield return $"{path}.listen: {error} ({Listen})";
        }
        else if ((address!.Scheme == "https") != Tls.Enabled)
        {
            yield return $"{path}.listen: https:// goes with tls.cert_file, http:// without ({Listen})";
        }

        if (MaxDataAge is { } age && age <= TimeSpan.Zero)
        {
            yield return $"{path}.max_data_age: must be above 0 ({age})";
        }

        if (!MetricNames.All.Contains(DefaultMetric))
        {
            yield return $"{path}.default_metric: expected one of {string.Join(", ", MetricNames.All)} ({DefaultMetric})";
        }

        foreach (var problem in Tls.Validate(path + ".tls"))
        {
            yield return problem;
        }
    }
}
