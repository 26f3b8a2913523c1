using Etrid.Scaling.ExternalMetrics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// Reads <c>kube-system/extension-apiserver-authentication</c> and watches it (the front proxy's and
/// the client CAs rotate), installing each version in the store. Failures back off on a Polly retry (1 s doubling to
/// 30 s) and the last good configuration stays in force.
/// </summary>
internal sealed class AuthenticationConfigMapWatcher([FromKeyedServices(ExternalMetricsApiExtensions.KubernetesKey)] Etrid.Kubernetes.KubernetesAccess api, AuthenticationConfigStore store, TimeProvider time, ILogger<AuthenticationConfigMapWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

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
        e is HttpOperationException or HttpRequestException or FormatException or IOException or KubernetesException or OperationCanceledException or System.Text.Json.JsonException;

    /// <summary>Reads the ConfigMap, installs it, and installs every change the watch reports until the watch ends.</summary>
    private async ValueTask ReadAndWatchAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var map = await client.CoreV1.ReadNamespacedConfigMapAsync(AuthenticationConfig.ConfigMapName, AuthenticationConfig.ConfigMapNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        Install(map);
        Exception? watchError = null;
        var events = client.CoreV1.WatchListNamespacedConfigMapAsync(
            AuthenticationConfig.ConfigMapNamespace,
            fieldSelector: "metadata.name=" + AuthenticationConfig.ConfigMapName,
            resourceVersion: map.Metadata?.ResourceVersion,
            onError: e => watchError = e,
            cancellationToken: cancellationToken);
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
