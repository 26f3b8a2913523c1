using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Etrid.Exporter.Configuration;

/// <summary>Prints the effective configuration as YAML with secrets redacted: options marked as secrets and URL credentials.</summary>
public static partial class ConfigPrinter
{
    public const string Redacted = "***";

    /// <summary>The effective configuration as YAML, secrets redacted: every section as its part's options hold it in <paramref name="services"/>.</summary>
    public static string Print(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return OptionsSchema.Print(ExporterSections.All.Select(s => (s, (IReadOnlyList<object>)s.Types.Select(t => Value(services, t)).ToList())));
    }

    // IOptions<T>.Value for a type known at run time.
    private static object Value(IServiceProvider services, Type type)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
    }

    /// <summary>A URL with its password and query values replaced by <see cref="Redacted"/>.</summary>
    public static string RedactUrl(Uri url)
    {
        var builder = new UriBuilder(url);
        if (builder.Password.Length > 0)
        {
            builder.Password = Redacted;
        }

        if (builder.Query.Length > 1)
        {
            builder.Query = QueryValue().Replace(builder.Query.TrimStart('?'), "=" + Redacted);
        }

        var text = builder.Uri.ToString();
        return url.AbsolutePath == "/" && !url.OriginalString.EndsWith('/') && text.EndsWith('/') && builder.Query.Length == 0 ? text[..^1] : text;
    }

    [GeneratedRegex("=[^&]*")]
    private static partial Regex QueryValue();
}
