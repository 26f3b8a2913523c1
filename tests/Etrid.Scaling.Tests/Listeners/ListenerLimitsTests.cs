using System.Net;
using System.Net.Sockets;
using System.Text;
using Etrid.Scaling.Listeners;
using Etrid.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Etrid.Scaling.Tests.Listeners;

/// <summary>Each listener holds its own connection limit: a flood on one port leaves the others answering.</summary>
public sealed class ListenerLimitsTests : IAsyncLifetime
{
    private const int Limit = 3;
    private WebApplication? _app;
    private int _floodedPort;
    private int _otherPort;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ApplyServerLimits();
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.LimitConnections(Limit));
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.LimitConnections(Limit));
        });
        _app = builder.Build();
        _app.MapGet("/livez", () => Results.Text("ok"));
        await _app.StartAsync();
        var ports = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
        (_floodedPort, _otherPort) = (ports[0], ports[1]);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_listener_at_its_limit_closes_new_connections_while_the_others_answer_and_takes_them_again_once_one_leaves()
    {
        // Kept-alive clients that send nothing more, as a slowloris holds them; each has been answered once, so all
        // of them are inside the listener before the next one knocks.
        var held = new List<Socket>();
        for (var i = 0; i < Limit; i++)
        {
            held.Add(await ConnectAsync(_floodedPort));
            Assert.Equal("200", await AskAsync(held[^1]));
        }

        Assert.Equal("closed", await AskOnceAsync(_floodedPort));

        Assert.Equal("200", await AskOnceAsync(_otherPort));

        held[1].Dispose();
        await Eventually.WaitAsync(async () => await AskOnceAsync(_floodedPort) == "200", "the flooded listener to take a connection again");
        foreach (var socket in held)
        {
            socket.Dispose();
        }
    }

    /// <summary>One GET on a new connection; "closed" also when the server reset it while it was being set up.</summary>
    private static async Task<string> AskOnceAsync(int port)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(port);
        }
        catch (SocketException)
        {
            return "closed";
        }

        using (socket)
        {
            return await AskAsync(socket);
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>One GET on the connection: the status code, or "closed" when the server closed it without an answer.</summary>
    private static async Task<string> AskAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /livez HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            var buffer = new byte[256];
            var read = 0;
            int n;
            while (read < 12 && (n = await socket.ReceiveAsync(buffer.AsMemory(read))) > 0)
            {
                read += n;
            }

            return read >= 12 ? Encoding.ASCII.GetString(buffer, 9, 3) : "closed";
        }
        catch (SocketException)
        {
            return "closed";
        }
    }
}
