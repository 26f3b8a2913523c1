using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Scaling.Listeners;

/// <summary>Names Kestrel listeners so that endpoint routing can keep each API on its own port.</summary>
public static class ListenerTagging
{
    private static readonly object Key = typeof(ListenerTagging);

    /// <summary>Marks every connection accepted by <paramref name="listen"/> as belonging to <paramref name="listener"/>.</summary>
    public static ListenOptions TagListener(this ListenOptions listen, string listener)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            connection.Items[Key] = listener;
            return next(connection);
        });
        return listen;
    }

    /// <summary>The listener that accepted the request's connection, or null for an untagged one.</summary>
    public static string? ListenerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        return items is not null && items.TryGetValue(Key, out var name) ? name as string : null;
    }

    /// <summary>The listener of a connection (for connection-level code), or null.</summary>
    internal static string? ListenerOf(ConnectionContext connection) =>
        connection.Items.TryGetValue(Key, out var name) ? name as string : null;
}
