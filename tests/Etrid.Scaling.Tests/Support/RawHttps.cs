using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Etrid.Scaling.Tests.Support;

/// <summary>
/// One HTTP/1.1 request written by hand over TLS, for what HttpClient cannot send: the same header
/// on several lines, as kube-apiserver's proxy sends one <c>X-Remote-Group</c> line per group.
/// </summary>
internal static class RawHttps
{
    public static async Task<(int Status, string Body)> GetAsync(Uri server, X509Certificate2 serving, X509Certificate2 clientCertificate, string path, IEnumerable<(string Name, string Value)> headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [clientCertificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(serving.RawData),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        var request = new StringBuilder($"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        request.Append("\r\n");
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        using var reader = new StreamReader(tls, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }
}
