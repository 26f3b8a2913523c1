using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etrid.DevChain.Rpc;

/// <summary>
/// Serves a <see cref="Chain.DevChain"/> over Substrate JSON-RPC: WebSocket (with subscriptions) and
/// HTTP POST on one port, as a node does.
/// </summary>
public sealed partial class DevChainServer : IAsyncDisposable
{
    private readonly Chain.DevChain _chain;
    private readonly RpcMethods _methods;
    private readonly ConcurrentDictionary<RpcSession, byte> _sessions = new();
    private readonly Random _ids;
    private readonly Lock _idGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggerFactory? _loggerFactory;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private WebApplication? _app;

    public DevChainServer(Chain.DevChain chain, ILoggerFactory? loggerFactory = null)
    {
        _chain = chain;
        _methods = new RpcMethods(chain);
        _ids = new Random(chain.Options.Seed);
        _loggerFactory = loggerFactory;
        chain.NewBlock += b => ForEachSession(s => s.OnNewBlock(b));
        chain.NewFinalized += b => ForEachSession(s => s.OnFinalized(b));
        chain.RuntimeUpgraded += b => ForEachSession(s => s.OnRuntimeUpgraded(b));
        chain.ConnectionsDropRequested += DropConnections;
        chain.FloodRequested += (count, number, spec) => ForEachSession(s => s.OnFlood(count, number, spec));
        chain.StrayRepliesRequested += count => ForEachSession(s => s.OnStrayReplies(count));
        chain.OversizedMessageRequested += bytes => ForEachSession(s => s.OnOversizedMessage(bytes));
    }

    /// <summary>The WebSocket URL clients connect to (set once started).</summary>
    public Uri? Url { get; private set; }

    /// <summary>Starts listening (e.g. <c>http://127.0.0.1:0</c> for a free port) and returns the ws:// URL.</summary>
    public async Task<Uri> StartAsync(string listenUrl, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listenUrl);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        if (_loggerFactory is not null)
        {
            builder.Services.AddSingleton(_loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RpcSession.MaxMessageBytes);
        var app = builder.Build();
        _logger = (_loggerFactory ?? app.Services.GetRequiredService<ILoggerFactory>()).CreateLogger<DevChainServer>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = new Uri(app.Urls.First());
        Url = new UriBuilder(address) { Scheme = "ws" }.Uri;
        LogListening(Url);
        return Url;
    }

    /// <summary>Subscriptions open over all connections.</summary>
    public int SubscriptionCount => _sessions.Keys.Sum(s => s.SubscriptionCount);

    /// <summary>Drops every WebSocket connection at once, as a network failure would.</summary>
    public void DropConnections()
    {
        if (!_sessions.IsEmpty)
        {
            LogDropping(_sessions.Count);
        }

        foreach (var session in _sessions.Keys)
        {
            session.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        DropConnections();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new RpcSession(socket, _methods, _chain, NewSubscriptionId);
            _sessions[session] = 0;
            try
            {
                await session.RunAsync(_stopping.Token);
            }
            finally
            {
                _sessions.TryRemove(session, out _);
            }

            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            await context.Response.WriteAsync("Used HTTP Method is not allowed. POST or OPTIONS is required\n");
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var answer = RpcSession.Answer(_methods, body.ToArray(), null, []);
        context.Response.ContentType = "application/json; charset=utf-8";
        if (answer is not null)
        {
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        }
    }

    private string NewSubscriptionId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        lock (_idGate)
        {
            return string.Create(16, _ids, (span, random) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = alphabet[random.Next(alphabet.Length)];
                }
            });
        }
    }

    private void ForEachSession(Action<RpcSession> action)
    {
        foreach (var session in _sessions.Keys)
        {
            action(session);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Dev chain JSON-RPC listening on {Url}")]
    private partial void LogListening(Uri url);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Dropping {Count} connection(s) on request")]
    private partial void LogDropping(int count);
}
