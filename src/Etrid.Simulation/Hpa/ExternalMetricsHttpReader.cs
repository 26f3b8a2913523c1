using System.Text.Json;
using Etrid.Scaling.Quantities;

namespace Etrid.Simulation.Hpa;

/// <summary>
/// Reads the external metrics API over HTTP as the HPA's metrics client does: GET the namespaced
/// route with the selector, sum the items' milli-values; zero items is an error ("no metrics
/// returned from external metrics API"), as is any non-2xx answer. Bounded: at most 1 MiB read.
/// </summary>
public sealed class ExternalMetricsHttpReader(HttpClient client) : IExternalMetricsReader
{
    private const int MaxBodyBytes = 1 << 20;
    private const int MaxItems = 10_000;

    /// <inheritdoc />
    public async Task<MetricReading> ReadAsync(string @namespace, string metricName, string? selector, CancellationToken cancellationToken)
    {
        var path = $"/apis/external.metrics.k8s.io/v1beta1/namespaces/{Uri.EscapeDataString(@namespace)}/{Uri.EscapeDataString(metricName.ToLowerInvariant())}";
        if (!string.IsNullOrEmpty(selector))
        {
            path += "?labelSelector=" + Uri.EscapeDataString(selector);
        }

        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return MetricReading.Failed($"response of {response.Content.Headers.ContentLength} bytes is too large");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > MaxBodyBytes)
            {
                return MetricReading.Failed($"response of {body.Length} bytes is too large");
            }

            using var document = JsonDocument.Parse(body);
            if (!response.IsSuccessStatusCode)
            {
                var message = document.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
                return MetricReading.Failed($"unable to get external metric {@namespace}/{metricName}: {(int)response.StatusCode} {message}");
            }

            if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
            {
                return MetricReading.Failed("no metrics returned from external metrics API");
            }

            if (items.GetArrayLength() > MaxItems)
            {
                return MetricReading.Failed($"{items.GetArrayLength()} items is too many");
            }

            long sum = 0;
            foreach (var item in items.EnumerateArray())
            {
                sum = checked(sum + Quantity.ParseMilli(item.GetProperty("value").GetString() ?? string.Empty));
            }

            return MetricReading.Of(sum);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or FormatException or KeyNotFoundException or InvalidOperationException or OverflowException)
        {
            return MetricReading.Failed($"unable to get external metric {@namespace}/{metricName}: {e.Message}");
        }
    }
}
