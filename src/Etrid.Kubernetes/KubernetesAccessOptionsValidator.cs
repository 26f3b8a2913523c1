using Microsoft.Extensions.Options;

namespace Etrid.Kubernetes;

/// <summary>Validates <see cref="KubernetesAccessOptions"/> (source-generated; the rules are the type's <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class KubernetesAccessOptionsValidator : IValidateOptions<KubernetesAccessOptions>
{
}
