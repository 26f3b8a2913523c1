using System.Net;
using Etrid.Mithril.Api;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Etrid.Mithril.Resilience;

/// <summary>
/// The client's handler chain: <see cref="ResilienceHandler"/> with retries (exponential back-off and jitter on 429,
/// 5xx, timeouts and transport errors, honouring <c>Retry-After</c> up to <c>retry_max_delay</c>), a circuit breaker
/// and a per-attempt timeout, over <see cref="MithrilAttemptHandler"/> so the timeout covers the bounded body.
/// A POST is retried only on 429 (the server refused it unprocessed) or a refused connection: its other failures
/// have an unknown outcome that the client settles by name.
/// </summary>
internal static partial class MithrilResiliencePipeline
{
    /// <summary>The chain from the client down to <paramref name="primary"/>.</summary>
    public static DelegatingHandler CreateHandler(MithrilClientOptions options, TimeProvider time, ILogger logger, MithrilCallStats stats, HttpMessageHandler primary) =>
        new ResilienceHandler(Build(options, time, logger))
        {
            InnerHandler = new MithrilAttemptHandler(options.MaxResponseBytes, time, stats) { InnerHandler = primary },
        };

    /// <summary>Retry, circuit breaker and per-attempt timeout, all on <paramref name="time"/>.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(MithrilClientOptions options, TimeProvider time, ILogger logger)
    {
        var random = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        var randomGate = new Lock();

        // Polly needs at least one retry configured; zero retries is expressed by refusing them.
        var noRetries = options.MaxRetries == 0;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(!noRetries && ShouldRetry(args.Context, args.Outcome)),
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                Randomizer = () =>
                {
                    lock (randomGate)
                    {
                        return random.NextDouble();
                    }
                },

                // The library honours Retry-After uncapped; the cap is ours, so the header is read here.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args =>
                {
                    var asked = RetryAfter.Read(args.Outcome.Result?.Headers.RetryAfter, time.GetUtcNow());
                    return ValueTask.FromResult(asked is { } wait ? (TimeSpan?)(wait > options.RetryMaxDelay ? options.RetryMaxDelay : wait) : null);
                },
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    LogRetrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    return default;
                },
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
                OnOpened = args =>
                {
                    LogCircuitOpened(logger, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return default;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(logger);
                    return default;
                },
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.RequestTimeout })
            .Build();
    }

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        if (context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var isPost = context.GetRequestMessage()?.Method == HttpMethod.Post;
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
        {
            return true;
        }

        // Refused before sending: safe to repeat whatever the method.
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return true;
        }

        return !isPost && IsFailure(outcome);
    }

    /// <summary>The library's transient failures, less 501 and 505: a server that lacks a feature will not grow it on retry.</summary>
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome)
        && outcome.Result?.StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "Mithril {Method} {Path} failed ({Outcome}); attempt {Attempt} in {DelayMs:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string method, string path, int attempt, double delayMs, string outcome);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Mithril circuit opened for {BreakSeconds:F0} s after {Outcome}: calls are refused until a probe succeeds")]
    private static partial void LogCircuitOpened(ILogger logger, double breakSeconds, string outcome);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Mithril circuit closed: calls flow again")]
    private static partial void LogCircuitClosed(ILogger logger);
}
