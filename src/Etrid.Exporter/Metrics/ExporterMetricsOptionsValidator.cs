using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Metrics;

/// <summary>Validates <see cref="ExporterMetricsOptions"/> (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class ExporterMetricsOptionsValidator : IValidateOptions<ExporterMetricsOptions>
{
}
