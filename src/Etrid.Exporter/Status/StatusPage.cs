using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Etrid.Exporter.Status;

/// <summary>
/// The HTML page at <c>/</c>: one self-contained document (inline style and script, no external
/// asset) carrying the current <c>/status</c> document, which its script renders and then keeps
/// current from <c>/status/events</c>. The verdict is also rendered on the server, for readers without script.
/// </summary>
public static partial class StatusPage
{
    private static readonly string Template = Resource("StatusPage.html");
    private static readonly string Style = Resource("StatusPage.css");
    private static readonly string Script = Resource("StatusPage.js");

    /// <summary>
    /// The Content-Security-Policy sent with the page: only its own inline style and script (by hash),
    /// connections to its own origin, nothing else (a hostile provider name cannot run or load anything).
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Hash(Script)}'; style-src '{Hash(Style)}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The page for the status document <paramref name="statusJson"/> (from <see cref="StatusReader.ReadJson"/>).</summary>
    public static string Render(string pbc, bool ready, string reason, string statusJson)
    {
        ArgumentNullException.ThrowIfNull(statusJson);
        var headline = ready ? "<b>Ready</b> <span class=\"why\">figures are fresh and served</span>" : $"<b>Not ready</b> <span class=\"why\">{E(reason)}</span>";
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["style"] = Style,
            ["script"] = Script,
            ["pbc"] = E(pbc),
            ["verdict_class"] = ready ? "ok" : "bad",
            ["headline"] = headline,
            // System.Text.Json escapes '<', '>' and '&', so the document cannot close the script element.
            ["initial"] = statusJson,
        };

        // One pass, so text from a remote party that looks like a placeholder stays text.
        return Placeholder().Replace(Template, m => values[m.Groups[1].Value]);
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Etrid.Exporter.Status." + name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
