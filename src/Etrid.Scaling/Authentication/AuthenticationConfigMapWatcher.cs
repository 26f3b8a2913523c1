using Etrid.Scaling.ExternalMetrics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etrid.Scaling.Authentication;

/// <summary>
/// Reads <c>kube-system/extension-apiserver-authentication</c> and watches it (the front proxy's and
/// the client CAs rotate), installing each version in the store. Failures back off (1 s doubling to
/// 30 s) and the last good configuration stays in force.
/// </summary>
internal sealed class AuthenticationConfigMapWatcher(Etrid.Scaling.Kubernetes.KubernetesApi api, AuthenticationConfigStore store, TimeProvider time, ILogger<AuthenticationConfigMapWatcher> logger) : BackgroundService
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
        var delay = FirstDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var map = await client.CoreV1.ReadNamespacedConfigMapAsync(AuthenticationConfig.ConfigMapName, AuthenticationConfig.ConfigMapNamespace, cancellationToken: stoppingToken).ConfigureAwait(false);
                Install(map);
                delay = FirstDelay;
                Exception? watchError = null;
                var events = client.CoreV1.WatchListNamespacedConfigMapAsync(
                    AuthenticationConfig.ConfigMapNamespace,
                    fieldSelector: "metadata.name=" + AuthenticationConfig.ConfigMapName,
                    resourceVersion: map.Metadata?.ResourceVersion,
                    onError: e => watchError = e,
                    cancellationToken: stoppingToken);
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

                // A watch ends normally when the API server closes it; re-read and watch again
                // (after a pause, so a server that ends watches at once is not hammered).
                if (watchError is not null)
                {
                    throw watchError;
                }

                await Task.Delay(FirstDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or FormatException or IOException or KubernetesException or OperationCanceledException or System.Text.Json.JsonException)
            {
                var detail = e is HttpOperationException h ? $"{(int)h.Response.StatusCode} {h.Response.ReasonPhrase}" : e.Message;
                ExternalMetricsLog.ClusterAuthFailed(logger, delay, detail);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    private void Install(V1ConfigMap map)
    {
        var config = AuthenticationConfig.FromConfigMap(map.Data);
        store.SetCluster(config);
        ExternalMetricsLog.ClusterAuthLoaded(logger, config.Source, config.ClientCa.Count, config.RequestHeaderCa.Count, string.Join(", ", config.AllowedNames));
    }
}
