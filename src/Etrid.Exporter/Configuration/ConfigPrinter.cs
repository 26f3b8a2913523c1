using System.Text.RegularExpressions;

namespace Etrid.Exporter.Configuration;

/// <summary>Prints the effective configuration as YAML with secrets redacted: options marked as secrets and URL credentials.</summary>
public static partial class ConfigPrinter
{
    public const string Redacted = "***";

    /// <summary>The effective configuration as YAML, secrets redacted.</summary>
    public static string Print(ExporterOptions options) => OptionsSchema.Print(options);

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
