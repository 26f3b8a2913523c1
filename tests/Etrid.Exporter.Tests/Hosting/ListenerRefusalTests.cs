using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Etrid.Exporter.Tests.Support;

namespace Etrid.Exporter.Tests.Hosting;

/// <summary>
/// The exporter's listeners as a scanner sees them: Kestrel's own refusals and the application's answers carry
/// <c>X-Content-Type-Options: nosniff</c>, on the metrics port and through TLS on the external metrics API.
/// </summary>
public sealed class ListenerRefusalTests
{
    private static readonly string TooLong = "GET /" + new string('a', 10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";

    [Fact]
    public async Task The_metrics_listener_refuses_a_too_long_request_line_with_nosniff_and_answers_metrics_with_it()
    {
        await using var exporter = await ExporterHarness.StartAsync(new Uri("ws://127.0.0.1:1/"));

        var refusal = await ExchangeAsync(exporter.Url, TooLong, tls: false);
        Assert.StartsWith("HTTP/1.1 414 ", refusal, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", refusal, StringComparison.Ordinal);

        using var metrics = await exporter.Http.GetAsync("/metrics");
        Assert.Equal(["nosniff"], metrics.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task The_external_metrics_api_refuses_a_malformed_request_inside_tls_with_nosniff()
    {
        await using var exporter = await ExporterHarness.StartAsync(new Uri("ws://127.0.0.1:1/"));

        var refusal = await ExchangeAsync(exporter.ApiUrl!, "GET /livez HTTP/1.1\r\nno colon here\r\n\r\n", tls: true);

        Assert.StartsWith("HTTP/1.1 400 ", refusal, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", refusal, StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="request"/> as raw bytes (through TLS when asked) and reads until the server closes.</summary>
    private static async Task<string> ExchangeAsync(Uri url, string request, bool tls)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        Stream stream = client.GetStream();
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            });
            stream = ssl;
        }

        await using (stream)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var received = new MemoryStream();
            try
            {
                await stream.CopyToAsync(received, limit.Token);
            }
            catch (IOException)
            {
                // A reset after the answer: what was read is the answer.
            }

            return Encoding.ASCII.GetString(received.ToArray());
        }
    }
}
