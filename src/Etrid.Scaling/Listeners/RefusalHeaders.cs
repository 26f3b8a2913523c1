using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Etrid.Scaling.Listeners;

/// <summary>
/// Kestrel answers a request it cannot parse (400), a request line too long (414), headers too large (431) or too
/// slow (408), or an HTTP version it does not speak (505) itself, before any middleware runs, and offers no hook for the headers of those answers. Scanners
/// flag them for lacking <c>X-Content-Type-Options: nosniff</c>, so the listener's output is watched for exactly
/// that shape of answer (an HTTP/1.x 4xx or 5xx header block with no body) and the header is
/// added. Answers of the application carry it already (<see cref="NosniffHeader"/>) and pass untouched.
/// </summary>
public static class RefusalHeaders
{
    /// <summary>Adds <c>X-Content-Type-Options: nosniff</c> to Kestrel's own refusals on <paramref name="listen"/>; call it after <c>UseHttps</c>.</summary>
    public static ListenOptions AddNosniffToRefusals(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            connection.Transport = new RefusalAwareTransport(connection.Transport);
            return next(connection);
        });
        return listen;
    }

    private sealed class RefusalAwareTransport(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input { get; } = inner.Input;

        public PipeWriter Output { get; } = new RefusalHeaderWriter(inner.Output);
    }
}
