using Microsoft.Extensions.Options;

namespace Etrid.Scaling.Keda;

/// <summary>Validates <see cref="KedaScalerOptions"/> (source-generated; the rules are the type's <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class KedaScalerOptionsValidator : IValidateOptions<KedaScalerOptions>
{
}
