using Microsoft.Extensions.Options;

namespace Etrid.AiCompute.Follower;

/// <summary>Validates <see cref="FollowerOptions"/> (source-generated from its data annotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class FollowerOptionsValidator : IValidateOptions<FollowerOptions>
{
}
