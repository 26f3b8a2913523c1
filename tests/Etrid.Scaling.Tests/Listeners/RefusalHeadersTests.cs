using System.Net;
using System.Net.Sockets;
using System.Text;
using Etrid.Scaling.Listeners;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Scaling.Tests.Listeners;

/// <summary>
/// Kestrel's own refusals (400, 408, 414, 431, 505), written before any middleware runs, carry
/// <c>X-Content-Type-Options: nosniff</c> like every answer of the application, over a raw socket.
/// </summary>
public sealed class RefusalHeadersTests : IAsyncLifetime
{
    private WebApplication? _app;
    private int _port;
    private int _plainPort;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ApplyServerLimits();
            // Short, so the 408 comes within Kestrel's one-second heartbeat or two rather than the listeners' 10 s.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.AddNosniffToRefusals());
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _app = builder.Build();
        _app.UseNosniffHeader();
        _app.MapGet("/livez", () => Results.Text("ok"));
        await _app.StartAsync();
        var ports = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        (_port, _plainPort) = (ports[0], ports[1]);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "GET /" + new string('a', 10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", "414" },
        { "GET /livez HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n", "400" },
        { "GET /livez HTTP/9.9\r\nHost: localhost\r\n\r\n", "505" },
        { "GET /livez HTTP/1.1\r\nHost: localhost\r\nX-Big: " + new string('b', 40_000) + "\r\n\r\n", "431" },
        { "GET /livez HTTP/1.1\r\nHost: localhost\r\n", "408" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Kestrels_own_refusal_carries_nosniff_once(string request, string status)
    {
        var answer = await ExchangeAsync(_port, request);

        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Equal(1, Count(answer, "X-Content-Type-Options: nosniff\r\n"));
        Assert.EndsWith("\r\n\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_listener_hook_Kestrel_sends_its_refusal_bare()
    {
        // Why the hook exists: the application's middleware never sees this request.
        var answer = await ExchangeAsync(_plainPort, "GET /livez HTTP/1.1\r\nno colon here\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Content-Type-Options", answer, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Answers_of_the_application_on_a_kept_alive_connection_carry_it_once_and_a_refusal_after_them_too()
    {
        var answer = await ExchangeAsync(
            _port,
            "GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\nGET /nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\nGET /livez HTTP/1.1\r\nno colon here\r\n\r\n");

        Assert.Equal(3, Count(answer, "HTTP/1.1 "));
        Assert.Contains("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 404 ", answer, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Equal(3, Count(answer, "X-Content-Type-Options: nosniff\r\n"));
        Assert.Contains("\r\n\r\nok", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="request"/> and reads until the server closes the connection.</summary>
    private static async Task<string> ExchangeAsync(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException)
        {
            // A reset after the answer: what was read is the answer.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
