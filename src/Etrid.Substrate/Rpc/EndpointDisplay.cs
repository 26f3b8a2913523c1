namespace Etrid.Substrate.Rpc;

/// <summary>Endpoint text safe for logs and errors: no user info, no query string (API keys live there).</summary>
public static class EndpointDisplay
{
    public static string Redact(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var builder = new UriBuilder(endpoint) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty };
        var text = builder.Uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return text.EndsWith('/') ? text[..^1] : text;
    }

    /// <summary>Redacts an endpoint given as text; unparseable text is replaced rather than echoed.</summary>
    public static string Redact(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? Redact(uri) : "<invalid endpoint>";
}
