using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>Validates the top-level <see cref="ExporterOptions"/> (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class ExporterOptionsValidator : IValidateOptions<ExporterOptions>
{
}
