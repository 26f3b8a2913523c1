using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>Validates <see cref="ListenOptions"/> (source-generated).</summary>
[OptionsValidator]
public sealed partial class ListenOptionsValidator : IValidateOptions<ListenOptions>
{
}
