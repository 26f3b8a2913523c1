using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Scaling.Listeners;

/// <summary>
/// Each part's listener under the part's own name, so that where a part listens is asked of the part
/// (<see cref="Address"/>) rather than worked out from the order listeners were added. Kestrel writes the bound
/// endpoint back to the listener, so a port 0 reads as the port the system chose once the host has started.
/// </summary>
public sealed class NamedListeners
{
    private readonly Dictionary<string, (string Scheme, ListenOptions Listen)> _listeners = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Records <paramref name="listen"/> as the listener of <paramref name="name"/>, serving <paramref name="scheme"/>.</summary>
    public void Add(string name, string scheme, ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        lock (_gate)
        {
            _listeners[name] = (scheme, listen);
        }
    }

    /// <summary>Where <paramref name="name"/> listens (a wildcard address given as <c>localhost</c>), or null when it has no listener (off).</summary>
    public Uri? Address(string name)
    {
        lock (_gate)
        {
            if (!_listeners.TryGetValue(name, out var entry) || entry.Listen.IPEndPoint is not { } endpoint)
            {
                return null;
            }

            var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "localhost"
                : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
                : endpoint.Address.ToString();
            return new Uri($"{entry.Scheme}://{host}:{endpoint.Port}/");
        }
    }
}
