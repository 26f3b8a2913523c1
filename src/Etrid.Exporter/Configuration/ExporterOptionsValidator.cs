using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>Validates <see cref="ExporterOptions"/> and every section below it (source-generated from the data annotations).</summary>
[OptionsValidator]
public sealed partial class ExporterOptionsValidator : IValidateOptions<ExporterOptions>
{
}
