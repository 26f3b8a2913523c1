using Microsoft.Extensions.Options;

namespace Etrid.Substrate.Rpc;

/// <summary>Validates <see cref="SubstrateClientOptions"/> (source-generated from its data annotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class SubstrateClientOptionsValidator : IValidateOptions<SubstrateClientOptions>
{
}
