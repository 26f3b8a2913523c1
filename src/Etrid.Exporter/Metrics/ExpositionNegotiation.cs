using System.Net.Http.Headers;
using Prometheus;

namespace Etrid.Exporter.Metrics;

/// <summary>
/// Picks the exposition format from a scrape's <c>Accept</c> header as prometheus-net's own endpoint
/// does: OpenMetrics when it is the most preferred of the two formats, the classic text format
/// otherwise (and by default). An <c>accept</c> query parameter stands in for the header, for browsers.
/// </summary>
internal static class ExpositionNegotiation
{
    public static (ExpositionFormat Format, string ContentType) Negotiate(HttpRequest request)
    {
        var accept = request.Query.TryGetValue("accept", out var fromQuery) ? string.Join(',', fromQuery.ToArray()) : request.Headers.Accept.ToString();
        var candidates = new List<MediaTypeWithQualityHeaderValue>();
        foreach (var candidate in accept.Split(','))
        {
            // An invalid entry (an empty header, for one) is skipped.
            if (MediaTypeWithQualityHeaderValue.TryParse(candidate, out var mediaType))
            {
                candidates.Add(mediaType);
            }
        }

        foreach (var candidate in candidates.OrderByDescending(c => c.Quality.GetValueOrDefault(1)))
        {
            if (candidate.MediaType == PrometheusConstants.TextContentType)
            {
                break;
            }

            if (candidate.MediaType == PrometheusConstants.OpenMetricsContentType)
            {
                return (ExpositionFormat.OpenMetricsText, PrometheusConstants.OpenMetricsContentTypeWithVersionAndEncoding);
            }
        }

        return (ExpositionFormat.PrometheusText, PrometheusConstants.TextContentTypeWithVersionAndEncoding);
    }
}
