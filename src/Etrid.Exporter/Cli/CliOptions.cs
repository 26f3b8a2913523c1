using System.CommandLine;
using Etrid.Exporter.Configuration;
using Etrid.Substrate.Rpc;

namespace Etrid.Exporter.Cli;

/// <summary>Options whose values need more than a type: durations, listen addresses and node URLs, each with a one-line error naming the option.</summary>
internal static class CliOptions
{
    /// <summary>The longest duration an option takes: each one is a timer's wait, and .NET's timers wait at most 49.7 days.</summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromHours(24);

    public static Option<TimeSpan> Duration(string name, string description, string defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => DurationParser.Parse(defaultValue),
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (DurationParser.TryParse(text, out var value, out var error))
            {
                if (value <= LongestDuration)
                {
                    return value;
                }

                error = "is out of range (at most 24h)";
            }

            r.AddError($"{name}: '{text}' {error}");
            return default;
        },
    };

    /// <summary>Where to listen: <c>http://host:port</c>, or <c>host:port</c> / <c>:port</c> as node operators write it.</summary>
    public static Option<string> Listen(string name, string description, string defaultValue) => new(name)
    {
        Description = description + " (http://host:port or host:port)",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (ListenUrl(text) is { } url)
            {
                return url;
            }

            r.AddError($"{name}: '{text}' is not an address to listen on (examples: 127.0.0.1:9944, 0.0.0.0:9944, http://127.0.0.1:9944)");
            return string.Empty;
        },
    };

    /// <summary>A node URL: <c>ws://</c>, <c>wss://</c>, <c>http://</c> or <c>https://</c>.</summary>
    public static Option<Uri> Endpoint(string name, string alias, string description) => new(name, alias)
    {
        Description = description,
        Required = true,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" or "http" or "https" && uri.Host.Length > 0)
            {
                return uri;
            }

            r.AddError($"{name}: '{EndpointDisplay.Redact(text)}' is not a node URL (example: ws://127.0.0.1:9944)");
            return null;
        },
    };

    /// <summary>The http:// URL for a listen address, or null when it is not one.</summary>
    internal static string? ListenUrl(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + (text.StartsWith(':') ? "0.0.0.0" + text : text);
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.Host.Length > 0 && !uri.IsDefaultPort && uri.AbsolutePath == "/" && uri.Query.Length == 0
            ? $"http://{uri.Authority}"
            : null;
    }
}
