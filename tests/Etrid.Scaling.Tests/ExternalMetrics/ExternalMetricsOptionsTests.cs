using Etrid.Scaling.ExternalMetrics;
using Microsoft.Extensions.Configuration;

namespace Etrid.Scaling.Tests.ExternalMetrics;

public sealed class ExternalMetricsOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new ExternalMetricsOptions();

        Assert.False(new ExternalMetricsOptionsValidator().Validate(null, options).Failed);
        Assert.Equal("https://0.0.0.0:6443", options.Listen);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AuthorizationCacheTtl);
    }

    [Fact]
    public void Binding_SnakeCaseKeys_FillsEveryLevel()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["external_metrics:listen"] = "https://127.0.0.1:7443",
            ["external_metrics:max_data_age"] = "00:00:30",
            ["external_metrics:authorization_cache_ttl"] = "00:00:05",
            ["external_metrics:tls:service_namespace"] = "scaling",
            ["external_metrics:review_timeout"] = "00:00:03",
            ["external_metrics:authentication:allow_anonymous"] = "true",
            ["external_metrics:authentication:requestheader_allowed_names:0"] = "aggregator",
        }).Build();

        var options = configuration.GetSection("external_metrics").Get<ExternalMetricsOptions>()!;

        Assert.Equal("https://127.0.0.1:7443", options.Listen);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDataAge);
        Assert.Equal(TimeSpan.FromSeconds(5), options.AuthorizationCacheTtl);
        Assert.Equal("scaling", options.Tls.ServiceNamespace);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ReviewTimeout);
        Assert.True(options.Authentication.AllowAnonymous);
        Assert.Equal(["aggregator"], options.Authentication.RequestHeaderAllowedNames);
    }

    [Fact]
    public void Validate_CertificateFilesThatDoNotExistYet_AreAccepted()
    {
        // The manifests mount an optional Secret: the files appear when it does, and the API picks them up then.
        var tls = new ExternalMetricsTlsOptions { CertFile = "/nonexistent/serving-cert/tls.crt", KeyFile = "/nonexistent/serving-cert/tls.key" };
        Assert.False(new ExternalMetricsOptionsValidator().Validate(null, new ExternalMetricsOptions { Tls = tls }).Failed);
    }

    [Fact]
    public void Validate_ReportsEveryProblemWithItsPath()
    {
        var options = new ExternalMetricsOptions
        {
            Listen = "http://0.0.0.0:6443",
            MaxDataAge = TimeSpan.Zero,
            Metrics = ["etrid_nope"],
            Tls = new ExternalMetricsTlsOptions { CertFile = "/x.crt", ServiceName = "Not_A_Label" },
            ReviewTimeout = TimeSpan.Zero,
            Authentication = new ExternalMetricsAuthenticationOptions { TokenFile = "/nonexistent/tokens.csv" },
        };

        var problems = new ExternalMetricsOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(problems, p => p.StartsWith("Listen: must be https://", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxDataAge:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Metrics:", StringComparison.Ordinal) && p.EndsWith("(etrid_nope)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Tls.CertFile:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Tls.ServiceName:", StringComparison.Ordinal));
        Assert.Contains("ReviewTimeout: must be above 0 and at most 1m (00:00:00)", problems);
        Assert.Contains(problems, p => p.StartsWith("Authentication.TokenFile: file not found", StringComparison.Ordinal));
    }
}
