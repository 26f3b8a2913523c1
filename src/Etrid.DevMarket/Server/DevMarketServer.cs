using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Etrid.DevMarket.Faults;
using Etrid.DevMarket.Market;
using Etrid.DevMarket.OpenApi;
using Etrid.Mithril.Api;
using Etrid.Mithril.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etrid.DevMarket.Server;

/// <summary>
/// Serves a <see cref="Market.DevMarket"/> over HTTP as the Mithril API v2 does: bearer check (401), every
/// request checked against the OpenAPI document (422 with a <c>detail</c> list), cursor paging, and
/// injected faults. Every API request is captured for tests. <c>/_control/…</c> sets prices and faults.
/// </summary>
public sealed partial class DevMarketServer : IAsyncDisposable
{
    /// <summary>Prefix of the test control endpoints (no bearer check; listen on loopback).</summary>
    public const string ControlPrefix = "/_control/";

    private readonly Market.DevMarket _market;
    private readonly TimeProvider _time;
    private readonly MithrilOpenApi _openApi = MithrilOpenApi.Instance;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly byte[] _expectedAuthorization;
    private readonly Lock _capturedGate = new();
    private readonly Queue<CapturedRequest> _captured = new();
    private ILogger _logger = NullLogger.Instance;
    private WebApplication? _app;
    private int _working;

    /// <summary>Serves <paramref name="market"/>; injected delays run on <paramref name="timeProvider"/>, by default the market's clock.</summary>
    public DevMarketServer(Market.DevMarket market, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _market = market;
        _time = timeProvider ?? market.TimeProvider;
        _loggerFactory = loggerFactory;
        _expectedAuthorization = Encoding.UTF8.GetBytes("Bearer " + market.Options.ApiToken);
        Faults = new FaultInjector(unchecked(market.Options.Seed * 17 + 3));
    }

    /// <summary>Raised when an instance enters or leaves <c>STATUS_RUNNING</c> (the market's event).</summary>
    public event Action<InstanceRunningChange>? InstanceRunningChanged
    {
        add => _market.InstanceRunningChanged += value;
        remove => _market.InstanceRunningChanged -= value;
    }

    /// <summary>The market served.</summary>
    public Market.DevMarket Market => _market;

    /// <summary>The fault injector (rates and scripted faults).</summary>
    public FaultInjector Faults { get; }

    /// <summary>The origin clients use as <c>api_endpoint</c> (set once started).</summary>
    public Uri? Url { get; private set; }

    /// <summary>The API requests received so far (the newest <c>max_captured_requests</c>).</summary>
    public IReadOnlyList<CapturedRequest> Requests
    {
        get
        {
            lock (_capturedGate)
            {
                return [.. _captured];
            }
        }
    }

    /// <summary>
    /// API requests being worked on right now, not counting those parked in an injected delay. Tests that
    /// drive virtual time advance it only at zero, so a timeout never fires while an answer is being made.
    /// </summary>
    public int WorkingRequests => Volatile.Read(ref _working);

    /// <summary>Starts listening (e.g. <c>http://127.0.0.1:0</c>) and returns the bound origin.</summary>
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

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = _market.Options.MaxBodyBytes);
        var app = builder.Build();
        _logger = (_loggerFactory ?? app.Services.GetRequiredService<ILoggerFactory>()).CreateLogger<DevMarketServer>();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        Url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        LogListening(Url);
        return Url;
    }

    /// <summary>Forgets the captured requests.</summary>
    public void ClearRequests()
    {
        lock (_capturedGate)
        {
            _captured.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            await ControlAsync(context, path[ControlPrefix.Length..]);
            return;
        }

        Interlocked.Increment(ref _working);
        try
        {
            await HandleApiAsync(context, path);
        }
        finally
        {
            Interlocked.Decrement(ref _working);
        }
    }

    private async Task HandleApiAsync(HttpContext context, string path)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context);
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, MarketResult.Error(e.StatusCode, "Request body too large"));
            return;
        }

        var method = context.Request.Method;
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var authorized = IsAuthorized(context);
        var fault = path.StartsWith("/v2/", StringComparison.Ordinal) ? Faults.Next() : FaultKind.None;
        var match = _openApi.Match(method, path, out var pathExists);
        var problems = match is null ? [] : _openApi.ValidateRequest(match, query, body);
        var status = await AnswerAsync(context, fault, authorized, match, pathExists, problems, query, body);
        Capture(new CapturedRequest(
            _time.GetUtcNow(), method, path, context.Request.QueryString.Value ?? "", body.Length == 0 ? null : Encoding.UTF8.GetString(body),
            authorized, match?.Template, problems, fault, status));
    }

    private async Task<int> AnswerAsync(HttpContext context, FaultKind fault, bool authorized, OperationMatch? match, bool pathExists,
        IReadOnlyList<RequestProblem> problems, Dictionary<string, string> query, byte[] body)
    {
        var settings = Faults.Settings;
        switch (fault)
        {
            case FaultKind.TooManyRequests:
                if (settings.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                LogFault(fault, context.Request.Method, context.Request.Path);
                return await WriteAsync(context, MarketResult.Error(429, "Too many requests"));
            case FaultKind.ServerError:
                LogFault(fault, context.Request.Method, context.Request.Path);
                return await WriteAsync(context, MarketResult.Error(500, "Internal server error"));
            case FaultKind.Timeout:
                LogFault(fault, context.Request.Method, context.Request.Path);
                return await HangAsync(context, settings);
            case FaultKind.Slow:
                await DelayAsync(TimeSpan.FromMilliseconds(settings.SlowDelayMs), context.RequestAborted);
                break;
        }

        if (!authorized)
        {
            LogUnauthorized(context.Request.Method, context.Request.Path);
            return await WriteAsync(context, MarketResult.Error(401, "Invalid credentials"));
        }

        if (match is null)
        {
            return await WriteAsync(context, pathExists ? MarketResult.Error(405, "Method Not Allowed") : MarketResult.Error(404, "Not Found"));
        }

        if (problems.Count > 0)
        {
            LogInvalid(context.Request.Method, context.Request.Path, problems.Count, string.Join("; ", problems.Take(3)));
            return await WriteAsync(context, MarketResult.Invalid(problems));
        }

        var result = Dispatch(match, query, body);
        if (fault is FaultKind.ServerErrorAfterProcessing or FaultKind.TimeoutAfterProcessing)
        {
            LogFault(fault, context.Request.Method, context.Request.Path);
            return fault == FaultKind.ServerErrorAfterProcessing
                ? await WriteAsync(context, MarketResult.Error(500, "Internal server error"))
                : await HangAsync(context, settings);
        }

        return await WriteAsync(context, result);
    }

    private MarketResult Dispatch(OperationMatch match, Dictionary<string, string> query, byte[] body)
    {
        string Param(string name) => match.PathParameters[name];
        return (match.Method, match.Template) switch
        {
            ("GET", "/v2/me") => MarketResult.From(_market.Me()),
            ("GET", "/v2/projects") => MarketResult.From(_market.Projects()),
            ("GET", "/v2/ssh-keys") => MarketResult.From(_market.SshKeys(query["project"])),
            ("GET", "/v2/instance-types") => MarketResult.From(_market.InstanceTypes()),
            ("GET", "/v2/quotas") => MarketResult.From(_market.Quotas(query["project"])),
            ("GET", "/v2/spot/availability") => MarketResult.From(_market.Availability()),
            ("GET", "/v2/pricing/current") => MarketResult.From(_market.CurrentPrices(query["instance_type"], query.GetValueOrDefault("region"))),
            ("GET", "/v2/spot/bids") => MarketResult.From(_market.ListBids(query)),
            ("POST", "/v2/spot/bids") => WithBody<CreateBidRequest>(body, null, request => _market.CreateBid(request)),
            ("GET", "/v2/spot/bids/{bid_fid}") => MarketResult.From(_market.GetBid(Param("bid_fid"))),
            ("PATCH", "/v2/spot/bids/{bid_fid}") => WithBody(body, new UpdateBidRequest(), update => _market.UpdateBid(Param("bid_fid"), update)),
            ("DELETE", "/v2/spot/bids/{bid_fid}") => MarketResult.From(_market.CancelBid(Param("bid_fid"))),
            ("GET", "/v2/spot/bids/{bid_fid}/status") => MarketResult.From(_market.GetBidStatus(Param("bid_fid"))),
            ("GET", "/v2/instances") => MarketResult.From(_market.ListInstances(query)),
            ("GET", "/v2/instances/{instance_fid}/status") => MarketResult.From(_market.GetInstanceStatus(Param("instance_fid"))),
            _ => MarketResult.Error(501, "Not implemented by the dev market"),
        };
    }

    /// <summary>Reads a schema-checked body as <typeparamref name="T"/> (a null body is <paramref name="whenNull"/>, or refused when that is null too); a body that does not bind is a 422.</summary>
    private static MarketResult WithBody<T>(byte[] body, T? whenNull, Func<T, MarketOutcome> operation)
        where T : class
    {
        T request;
        try
        {
            var node = JsonNode.Parse(body) ?? new JsonObject();
            request = node.Deserialize<T>(MithrilJson.Options) ?? whenNull ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            return MarketResult.Invalid([new RequestProblem(["body"], e.Message, "value_error")]);
        }

        return MarketResult.From(operation(request));
    }

    private async Task ControlAsync(HttpContext context, string action)
    {
        try
        {
            switch (context.Request.Method, action)
            {
                case ("POST", "price"):
                    var price = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                    _market.SetSpotPrice((string)price!["instance_type"]!, (long?)price["spot_price_cents"]);
                    await WriteAsync(context, new MarketResult(204, null));
                    return;
                case ("POST", "faults"):
                    var settings = await JsonSerializer.DeserializeAsync<FaultSettings>(context.Request.Body, MithrilJson.Options, context.RequestAborted);
                    Faults.Settings = settings ?? new FaultSettings();
                    await WriteAsync(context, new MarketResult(200, Faults.Settings));
                    return;
                case ("POST", "round"):
                    _market.RunAuctionRound();
                    await WriteAsync(context, new MarketResult(204, null));
                    return;
                case ("GET", "requests"):
                    await WriteAsync(context, new MarketResult(200, Requests));
                    return;
                default:
                    await WriteAsync(context, MarketResult.Error(404, "Unknown control action"));
                    return;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NullReferenceException or FormatException)
        {
            await WriteAsync(context, MarketResult.Error(400, e.Message));
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    private bool IsAuthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expectedAuthorization);
    }

    private async Task<int> HangAsync(HttpContext context, FaultSettings settings)
    {
        try
        {
            await DelayAsync(TimeSpan.FromMilliseconds(settings.HangMs), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        return await WriteAsync(context, MarketResult.Error(504, "Gateway timeout"));
    }

    /// <summary>An injected delay on the market's clock; the request does not count as being worked on meanwhile.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        Interlocked.Decrement(ref _working);
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _working);
        }
    }

    private static async Task<int> WriteAsync(HttpContext context, MarketResult result)
    {
        context.Response.StatusCode = result.Status;
        if (result.Body is not null)
        {
            context.Response.ContentType = "application/json";
            try
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, result.Body, result.Body.GetType(), MithrilJson.Options, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client went away; nothing to answer.
            }
        }

        return result.Status;
    }

    private void Capture(CapturedRequest request)
    {
        var max = _market.Options.MaxCapturedRequests;
        if (max == 0)
        {
            return;
        }

        lock (_capturedGate)
        {
            _captured.Enqueue(request);
            while (_captured.Count > max)
            {
                _captured.Dequeue();
            }
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Dev market (Mithril API v2) listening on {Url}")]
    private partial void LogListening(Uri url);

    [LoggerMessage(EventId = 701, Level = LogLevel.Debug, Message = "Dev market: injected {Fault} on {Method} {Path}")]
    private partial void LogFault(FaultKind fault, string method, string path);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Dev market: {Method} {Path} refused with 422 ({Count} problem(s)): {Problems}")]
    private partial void LogInvalid(string method, string path, int count, string problems);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Dev market: {Method} {Path} refused with 401 (missing or wrong bearer key)")]
    private partial void LogUnauthorized(string method, string path);
}
