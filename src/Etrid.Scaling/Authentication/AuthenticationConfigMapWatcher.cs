using Etrid.Scaling.ExternalMetrics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// Reads <c>kube-system/extension-apiserver-authentication</c> and watches it (the front proxy's and
/// the client CAs rotate), installing each version in the store. Failures back off on a Polly retry (1 s doubling to
/// 30 s) and the last good configuration stays in force. The read is bounded by <c>external_metrics.review_timeout</c>;
/// the watch is a long call that the API server ends (after <see cref="WatchSeconds"/>), and the client ends it too
/// shortly after, should the server fall silent.
/// </summary>
internal sealed class AuthenticationConfigMapWatcher(Etrid.Kubernetes.KubernetesAccess api, ExternalMetricsOptions options, AuthenticationConfigStore store, TimeProvider time, ILogger<AuthenticationConfigMapWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    // How long the API server keeps one watch open (client-go's reflector uses 5 to 10 minutes).
    private const int WatchSeconds = 300;

    // Standalone, the watch loop is never compiled, so the Kubernetes client library is never loaded.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        store.ClusterRequired && !api.IsStandalone ? WatchAsync(stoppingToken) : Task.CompletedTask;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var client = api.Client!;

        // Failures of read-then-watch back off 1 s doubling to 30 s, and the back-off starts over
        // once a watch has ended normally. No jitter: one watcher per replica, and the tests count the waits.
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && IsTransient(args.Outcome.Exception)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    var e = args.Outcome.Exception!;
                    var detail = e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.ReasonPhrase}" : e.Message;
                    ExternalMetricsLog.ClusterAuthFailed(logger, args.RetryDelay, detail);
                    return default;
                },
            })
            .Build();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await retry.ExecuteAsync(static (state, ct) => state.Watcher.ReadAndWatchAsync(state.Client, ct), (Watcher: this, Client: client), stoppingToken).ConfigureAwait(false);

                // A watch ends normally when the API server closes it; re-read and watch again
                // (after a pause, so a server that ends watches at once is not hammered).
                await Task.Delay(FirstDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static bool IsTransient(Exception? e) =>
        e is HttpOperationException or HttpRequestException or FormatException or IOException or KubernetesException or OperationCanceledException or TimeoutException or System.Text.Json.JsonException;

    /// <summary>Reads the ConfigMap, installs it, and installs every change the watch reports until the watch ends.</summary>
    private async ValueTask ReadAndWatchAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var map = await Etrid.Kubernetes.KubernetesCall.WithinAsync(
            "read ConfigMap " + AuthenticationConfig.ConfigMapNamespace + "/" + AuthenticationConfig.ConfigMapName,
            options.ReviewTimeout,
            time,
            ct => client.CoreV1.ReadNamespacedConfigMapAsync(AuthenticationConfig.ConfigMapName, AuthenticationConfig.ConfigMapNamespace, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        Install(map);
        Exception? watchError = null;

        // The server ends the watch after WatchSeconds; the client's own bound, a review timeout later, ends a watch
        // whose server fell silent. Either way the loop reads afresh.
        using var watchBound = new CancellationTokenSource(TimeSpan.FromSeconds(WatchSeconds) + options.ReviewTimeout, time);
        using var watchToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchBound.Token);
        var events = client.CoreV1.WatchListNamespacedConfigMapAsync(
            AuthenticationConfig.ConfigMapNamespace,
            fieldSelector: "metadata.name=" + AuthenticationConfig.ConfigMapName,
            resourceVersion: map.Metadata?.ResourceVersion,
            timeoutSeconds: WatchSeconds,
            onError: e => watchError = e,
            cancellationToken: watchToken.Token);
        try
        {
            await foreach (var (type, item) in events.ConfigureAwait(false))
            {
                if (type == WatchEventType.Error)
                {
                    // e.g. 410 Gone (resource version too old): read afresh.
                    break;
                }

                if (type is WatchEventType.Added or WatchEventType.Modified && item.Metadata?.Name == AuthenticationConfig.ConfigMapName)
                {
                    Install(item);
                }
            }
        }
        catch (OperationCanceledException) when (watchBound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The client's bound ended a silent watch: a normal end, read afresh.
            return;
        }

        if (watchError is not null)
        {
            throw watchError;
        }
    }

    private void Install(V1ConfigMap map)
    {
        var config = AuthenticationConfig.FromConfigMap(map.Data);
        store.SetCluster(config);
        ExternalMetricsLog.ClusterAuthLoaded(logger, config.Source, config.ClientCa.Count, config.RequestHeaderCa.Count, string.Join(", ", config.AllowedNames));
    }
}
