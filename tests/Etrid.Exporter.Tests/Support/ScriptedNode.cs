using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Etrid.Exporter.Tests.Support;

/// <summary>
/// A WebSocket JSON-RPC server on loopback whose answers the test writes: a node with an unexpected
/// runtime, or one that sends garbage. Unknown methods get -32601.
/// </summary>
internal sealed class ScriptedNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedNode(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Answers with the JSON result text the handler returns for the method (null: method not found).</summary>
    public static async Task<ScriptedNode> StartAsync(Func<string, JsonElement, string?> answer, bool garbage = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1 << 20];
            while (socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult result;
                var count = 0;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                string reply;
                if (garbage)
                {
                    reply = "}{ this is not JSON";
                }
                else
                {
                    using var request = JsonDocument.Parse(buffer.AsMemory(0, count));
                    var id = request.RootElement.GetProperty("id").GetRawText();
                    var method = request.RootElement.GetProperty("method").GetString()!;
                    var parameters = request.RootElement.TryGetProperty("params", out var p) ? p : default;
                    var resultJson = answer(method, parameters);
                    reply = resultJson is null
                        ? $$"""{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":{{id}}}"""
                        : $$"""{"jsonrpc":"2.0","result":{{resultJson}},"id":{{id}}}""";
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
        await app.StartAsync();
        var url = new UriBuilder(app.Urls.First()) { Scheme = "ws" }.Uri;
        return new ScriptedNode(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
