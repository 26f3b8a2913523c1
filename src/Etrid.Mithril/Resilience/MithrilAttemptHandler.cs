using System.Globalization;
using Etrid.Mithril.Api;
using Etrid.Mithril.Errors;

namespace Etrid.Mithril.Resilience;

/// <summary>
/// One attempt under the resilience pipeline: sends, reads the body into memory within <c>max_response_bytes</c>
/// (inside the attempt, so the per-attempt timeout covers it), and records the attempt's outcome and duration.
/// </summary>
internal sealed class MithrilAttemptHandler(int maxResponseBytes, TimeProvider time, MithrilCallStats stats) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var operation = MithrilCallStats.OperationOf(request.Method, request.RequestUri);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            stats.Record(operation, e is HttpRequestException ? "transport_error" : "timeout", time.GetElapsedTime(started));
            throw;
        }

        try
        {
            await BufferBoundedAsync(response, cancellationToken).ConfigureAwait(false);
            stats.Record(operation, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), time.GetElapsedTime(started));
            return response;
        }
        catch (Exception e)
        {
            stats.Record(operation, e is MithrilResponseException ? "refused_body" : "timeout", time.GetElapsedTime(started));
            response.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the streamed content by a buffered copy, refusing more than the bound before it is held.</summary>
    private async Task BufferBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxResponseBytes)
        {
            throw new MithrilResponseException($"{Where(response)}: response of {declared} bytes exceeds the {maxResponseBytes}-byte limit");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxResponseBytes)
                {
                    throw new MithrilResponseException($"{Where(response)}: response exceeds the {maxResponseBytes}-byte limit");
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

    private static string Where(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
}
