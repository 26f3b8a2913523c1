using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>
/// The validation a host runs on start (every options type registered with <c>ValidateOnStart</c>, each by its own
/// validator), run on demand: <c>check-config</c> and <c>serve</c> both call it on the host they build, so a file one
/// accepts the other starts. Failures are named by their configuration keys (<c>chain.window: …</c>).
/// </summary>
public static partial class ConfigurationCheck
{
    /// <summary>Every problem the start-up validators of <paramref name="services"/> find, as <c>key.path: what is wrong</c>.</summary>
    public static IReadOnlyList<string> Run(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return Describe([e]);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OptionsValidationException))
        {
            return Describe(e.InnerExceptions.Cast<OptionsValidationException>());
        }
    }

    /// <summary>The failures of <paramref name="exceptions"/> named by their keys, each once (a key two types of a section share fails once).</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<OptionsValidationException> exceptions) =>
        exceptions.SelectMany(e => e.Failures.Select(f => Describe(e.OptionsType, f))).Distinct(StringComparer.Ordinal).ToList();

    // A validator's failure is "Member: message", where a data annotation's message starts with the member's display
    // name ("Type.Member must be …", or "The field Type.Member must …"); operators want "section.key: must be …".
    // A failure that already names its key (a section's own rules) is kept as it is.
    private static string Describe(Type type, string failure)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || ExporterSections.Of(type) is not { } section)
        {
            return failure;
        }

        var member = failure[..colon];
        var message = failure[(colon + 2)..];
        if (type.GetProperty(member.Split('.', '[')[0]) is null)
        {
            return failure;
        }

        var named = DisplayName().Match(message);
        if (named.Success && named.Groups["type"].Value == type.Name)
        {
            member = named.Groups["path"].Value;
            message = named.Groups["error"].Value;
        }

        var key = OptionsSchema.KeyPath(type, member);
        return $"{(section.Key.Length == 0 ? key : section.Key + "." + key)}: {message}";
    }

    [GeneratedRegex(@"^(The field )?(?<type>[A-Za-z0-9_]+)\.(?<path>[A-Za-z0-9_.\[\]]+) (?<error>.*)$", RegexOptions.Singleline)]
    private static partial Regex DisplayName();
}
