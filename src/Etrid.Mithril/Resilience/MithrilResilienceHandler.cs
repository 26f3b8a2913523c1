using System.Net;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Etrid.Mithril.Resilience;

/// <summary>
/// The client's resilience pipeline on the HTTP handler chain: retries with exponential back-off and
/// jitter on 429, 5xx, timeouts and transport errors (honouring <c>Retry-After</c>), a circuit breaker,
/// and a per-attempt timeout that covers the whole body. A POST is retried only on 429 (the server
/// refused it unprocessed): its other failures have an unknown outcome that the client settles by name.
/// Bodies are read inside the attempt and bounded.
/// </summary>
internal sealed partial class MithrilResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("mithril.request");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly bool _noRetries;
    private readonly MithrilClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly MithrilCallStats _stats;

    public MithrilResilienceHandler(MithrilClientOptions options, TimeProvider time, ILogger logger, MithrilCallStats stats, HttpMessageHandler inner)
        : base(inner)
    {
        _stats = stats;
        _options = options;
        _time = time;
        _logger = logger;
        var random = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        var randomGate = new Lock();
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome)),
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                Randomizer = () =>
                {
                    lock (randomGate)
                    {
                        return random.NextDouble();
                    }
                },
                DelayGenerator = args =>
                {
                    var asked = RetryAfter.Read(args.Outcome.Result?.Headers.RetryAfter, _time.GetUtcNow());
                    return ValueTask.FromResult(asked is { } wait ? (TimeSpan?)(wait > _options.RetryMaxDelay ? _options.RetryMaxDelay : wait) : null);
                },
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    LogRetrying(request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
                OnOpened = args =>
                {
                    LogCircuitOpened(args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return default;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed();
                    return default;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
        // Polly needs at least one retry configured; zero retries is expressed by refusing them.
        _noRetries = options.MaxRetries == 0;
    }


    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var operation = MithrilCallStats.OperationOf(request.Method, request.RequestUri);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            _stats.Record(operation, e is HttpRequestException ? "transport_error" : "timeout", _time.GetElapsedTime(started));
            throw;
        }

        try
        {
            await BufferBoundedAsync(response, cancellationToken).ConfigureAwait(false);
            _stats.Record(operation, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), _time.GetElapsedTime(started));
            return response;
        }
        catch (Exception e)
        {
            _stats.Record(operation, e is MithrilResponseException ? "refused_body" : "timeout", _time.GetElapsedTime(started));
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads the body into memory inside the attempt (so the timeout covers it), refusing more than the bound.</summary>
    private async Task BufferBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = _options.MaxResponseBytes;
        var declared = response.Content.Headers.ContentLength;
        if (declared > limit)
        {
            throw new MithrilResponseException($"{Where(response)}: response of {declared} bytes exceeds the {limit}-byte limit");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new MithrilResponseException($"{Where(response)}: response exceeds the {limit}-byte limit");
                }

                buffer.Write(chunk, 0, read);
            }

            var content = new ByteArrayContent(buffer.ToArray());
            foreach (var header in response.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
        }
    }

    private bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (_noRetries || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var request = context.Properties.GetValue(RequestKey, null!);
        var isPost = request is not null && request.Method == HttpMethod.Post;
        if (outcome.Result is { } response)
        {
            return response.StatusCode == HttpStatusCode.TooManyRequests || (!isPost && IsTransientStatus(response.StatusCode));
        }

        return outcome.Exception switch
        {
            // Refused before sending: safe to repeat whatever the method.
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
            TimeoutRejectedException or HttpRequestException => !isPost,
            _ => false,
        };
    }

    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? response.StatusCode == HttpStatusCode.TooManyRequests || IsTransientStatus(response.StatusCode)
            : outcome.Exception is TimeoutRejectedException or HttpRequestException;

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 && status is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported) || status == HttpStatusCode.RequestTimeout;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";

    private static string Where(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Mithril {Method} {Path} failed ({Outcome}); attempt {Attempt} in {DelayMs:F0} ms")]
    private partial void LogRetrying(string method, string path, int attempt, double delayMs, string outcome);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Mithril circuit opened for {BreakSeconds:F0} s after {Outcome}: calls are refused until a probe succeeds")]
    private partial void LogCircuitOpened(double breakSeconds, string outcome);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Mithril circuit closed: calls flow again")]
    private partial void LogCircuitClosed();
}
