using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>Validates <see cref="DeletionCostOptions"/> (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class DeletionCostOptionsValidator : IValidateOptions<DeletionCostOptions>
{
}
