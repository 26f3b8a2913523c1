using System.ComponentModel.DataAnnotations;
using Etrid.Scaling.Catalogue;
using Etrid.Scaling.Listeners;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Keda;

/// <summary>The KEDA external scaler (gRPC): options section <c>keda_scaler</c>.</summary>
public sealed class KedaScalerOptions : IValidatableObject
{
    /// <summary>The options section's name.</summary>
    public const string SectionName = "keda_scaler";

    /// <summary>Serve the scaler. Default true.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;

    /// <summary>Listen URL: <c>http://</c> for cleartext HTTP/2 (KEDA's default), <c>https://</c> with <c>tls</c>. Default <c>http://0.0.0.0:6000</c>.</summary>
    [ConfigurationKeyName("listen")]
    public string Listen { get; init; } = "http://0.0.0.0:6000";

    /// <summary>Oldest figures served; older ones answer UNAVAILABLE. Default none: the chain's staleness limit.</summary>
    [ConfigurationKeyName("max_data_age")]
    public TimeSpan? MaxDataAge { get; init; }

    /// <summary>The metric a ScaledObject gets when its metadata names none. Default <c>etrid_job_queue_depth</c>.</summary>
    [ConfigurationKeyName("default_metric")]
    public string DefaultMetric { get; init; } = MetricNames.QueueDepth;

    /// <summary>Optional TLS: without <c>cert_file</c> the scaler speaks cleartext HTTP/2 (h2c).</summary>
    [ConfigurationKeyName("tls")]
    public KedaScalerTlsOptions Tls { get; init; } = new();

    /// <summary>
    /// Every problem, each naming its member (<c>Tls.CertFile</c>) and saying what is wrong (value); the generated
    /// <see cref="KedaScalerOptionsValidator"/> runs it, and the host names the member by its key.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ListenAddress.TryParse(Listen, out var address, out var error))
        {
            yield return new ValidationResult($"{error} ({Listen})", [nameof(Listen)]);
        }
        else if ((address!.Scheme == "https") != Tls.Enabled)
        {
            yield return new ValidationResult($"https:// goes with tls.cert_file, http:// without ({Listen})", [nameof(Listen)]);
        }

        if (MaxDataAge is { } age && age <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"must be above 0 ({age})", [nameof(MaxDataAge)]);
        }

        if (!MetricNames.All.Contains(DefaultMetric))
        {
            yield return new ValidationResult($"expected one of {string.Join(", ", MetricNames.All)} ({DefaultMetric})", [nameof(DefaultMetric)]);
        }

        foreach (var problem in Tls.Problems(nameof(Tls)))
        {
            yield return problem;
        }
    }
}
