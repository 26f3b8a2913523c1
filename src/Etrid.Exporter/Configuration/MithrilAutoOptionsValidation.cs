using Etrid.Mithril.Options;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// Validates the <c>mithril_auto</c> section with its own rules (<see cref="Etrid.Burst.Options.BurstOptions.Validate"/>, with the Mithril keys' own), which read
/// the environment variables that secrets are named by; its lines already carry their key paths.
/// </summary>
public sealed class MithrilAutoOptionsValidation(Func<string, string?> environment) : IValidateOptions<MithrilAutoOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, MithrilAutoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate(MithrilAutoOptions.SectionName, environment).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
