using Microsoft.Extensions.Options;

namespace Etrid.Scaling.ExternalMetrics;

/// <summary>Validates <see cref="ExternalMetricsOptions"/> (source-generated; the rules are the type's <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class ExternalMetricsOptionsValidator : IValidateOptions<ExternalMetricsOptions>
{
}
