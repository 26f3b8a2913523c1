using System.Net;

namespace Etrid.Scaling.Listeners;

/// <summary>A listen URL (<c>https://0.0.0.0:6443</c>) taken apart for Kestrel's <c>Listen</c>.</summary>
public sealed record ListenAddress(string Scheme, IPAddress Address, int Port)
{
    /// <summary>Parses <paramref name="url"/>; the host must be an IP address or <c>localhost</c>.</summary>
    public static bool TryParse(string? url, out ListenAddress? address, out string? error)
    {
        address = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = "must be an absolute http:// or https:// URL";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            error = "must have no path or query";
            return false;
        }

        IPAddress ip;
        if (uri.IsLoopback && uri.Host == "localhost")
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out ip!))
        {
            error = "host must be an IP address (0.0.0.0, [::], 127.0.0.1) or localhost";
            return false;
        }

        error = null;
        address = new ListenAddress(uri.Scheme, ip, uri.Port);
        return true;
    }
}
