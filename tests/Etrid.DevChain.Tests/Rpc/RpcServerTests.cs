using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Etrid.Tests.Shared;

namespace Etrid.DevChain.Tests.Rpc;

/// <summary>The dev chain's JSON-RPC surface, spoken raw over HTTP and WebSocket.</summary>
public sealed class RpcServerTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private DevChainHarness _dev = null!;

    public async Task InitializeAsync() => _dev = await DevChainHarness.StartAsync(jobs: 50, gpus: 4);

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    private Uri HttpUrl => new UriBuilder(_dev.Url) { Scheme = "http" }.Uri;

    private async Task<JsonElement> PostAsync(string body)
    {
        using var response = await Http.PostAsync(HttpUrl, new StringContent(body, Encoding.UTF8, "application/json"));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"nope"}""", -32601)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["zz"]}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":{"key":"0x00"}}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"state_getKeysPaged","params":["0x",1001]}""", 4002)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["0x00","0x1234"]}""", 4003)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"state_call","params":["Core_execute_block","0x"]}""", 4003)]
    [InlineData("""{"id":1,"method":"system_chain"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads"}""", -32601)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""" + "\"sys", -32700)]
    public async Task BadRequests_GetSubstratesErrorCodes(string body, int code)
    {
        var answer = await PostAsync(body);
        Assert.Equal(code, answer.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Batch_AnswersEachRequest()
    {
        var answer = await PostAsync("""[{"jsonrpc":"2.0","id":1,"method":"system_chain"},{"jsonrpc":"2.0","id":"b","method":"nope"}]""");
        Assert.Equal("AI Compute PBC Development", answer[0].GetProperty("result").GetString());
        Assert.Equal("b", answer[1].GetProperty("id").GetString());
        Assert.Equal(-32601, answer[1].GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task RpcMethods_ListsTheMethodsAStandardClientCalls()
    {
        var methods = (await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"rpc_methods"}""")).GetProperty("result").GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        string[] expected =
        [
            "chain_getBlockHash", "chain_getHeader", "chain_getFinalizedHead", "state_getRuntimeVersion", "state_getMetadata",
            "system_chain", "system_properties", "system_name", "system_version", "system_health", "rpc_methods",
            "state_getStorage", "state_queryStorageAt", "state_getKeysPaged", "state_subscribeStorage", "chain_subscribeNewHeads",
            "chain_subscribeFinalizedHeads", "state_subscribeRuntimeVersion", "chain_unsubscribeNewHeads",
            "chain_unsubscribeFinalizedHeads", "state_unsubscribeRuntimeVersion", "state_unsubscribeStorage",
        ];
        Assert.All(expected, m => Assert.Contains(m, methods));
    }

    [Fact]
    public async Task WebSocket_SubscriptionIdIs16Chars_AndUnsubscribeStopsNotifications()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_dev.Url, default);
        await SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}""");
        var id = (await ReceiveAsync(socket)).GetProperty("result").GetString()!;
        Assert.Equal(16, id.Length);
        var initial = await ReceiveAsync(socket);
        Assert.Equal("0x0", initial.GetProperty("params").GetProperty("result").GetProperty("number").GetString());
        _dev.Chain.ProduceBlock();
        var note = await ReceiveAsync(socket);
        Assert.Equal("chain_newHead", note.GetProperty("method").GetString());
        Assert.Equal(id, note.GetProperty("params").GetProperty("subscription").GetString());
        Assert.Equal("0x1", note.GetProperty("params").GetProperty("result").GetProperty("number").GetString());
        await SendAsync(socket, $$"""{"jsonrpc":"2.0","id":2,"method":"chain_unsubscribeNewHeads","params":["{{id}}"]}""");
        Assert.True((await ReceiveAsync(socket)).GetProperty("result").GetBoolean());
        _dev.Chain.ProduceBlock();
        await SendAsync(socket, """{"jsonrpc":"2.0","id":3,"method":"system_name"}""");
        Assert.Equal(3, (await ReceiveAsync(socket)).GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task WebSocket_KeylessStorageSubscription_IsRefusedAsUnsafe()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_dev.Url, default);
        await SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"state_subscribeStorage","params":[]}""");
        var error = (await ReceiveAsync(socket)).GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        Assert.Contains("unsafe", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_RuntimeVersionSubscription_SendsCurrentThenUpgrade()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_dev.Url, default);
        await SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"state_subscribeRuntimeVersion","params":[]}""");
        var messages = new List<JsonElement> { await ReceiveAsync(socket), await ReceiveAsync(socket) };
        var first = messages.Single(m => m.TryGetProperty("method", out _));
        Assert.Equal(1, first.GetProperty("params").GetProperty("result").GetProperty("specVersion").GetInt32());
        _dev.Chain.UpgradeRuntime();
        _dev.Chain.ProduceBlock();
        var upgrade = await ReceiveAsync(socket);
        Assert.Equal(2, upgrade.GetProperty("params").GetProperty("result").GetProperty("specVersion").GetInt32());
    }

    [Fact]
    public async Task ANodeServedBehind_AnswersItsHeadsAndHashesThatManyBlocksBack()
    {
        _dev.Chain.ProduceBlocks(10);
        _dev.Chain.ServedLag = 4;
        var finalized = (await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"chain_getFinalizedHead"}""")).GetProperty("result").GetString();
        Assert.Equal(_dev.Chain.GetBlock(6)!.Hash, finalized);
        var beyond = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[8]}""");
        Assert.Equal(JsonValueKind.Null, beyond.GetProperty("result").ValueKind);

        _dev.Chain.ServedLag = 0;
        var caughtUp = (await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[8]}""")).GetProperty("result").GetString();
        Assert.Equal(_dev.Chain.GetBlock(8)!.Hash, caughtUp);
    }

    [Fact]
    public async Task ANodeOnAnotherChain_AnswersAnotherGenesis()
    {
        var other = "0x" + new string('e', 64);
        _dev.Chain.AnnouncedGenesisHash = other;
        var genesis = (await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"chain_getBlockHash","params":[0]}""")).GetProperty("result").GetString();
        Assert.Equal(other, genesis);
    }

    [Fact]
    public async Task WebSocket_StrayRepliesAndFloods_AreSentAsAsked()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_dev.Url, default);
        await SendAsync(socket, """{"jsonrpc":"2.0","id":1,"method":"chain_subscribeFinalizedHeads","params":[]}""");
        var first = new List<JsonElement> { await ReceiveAsync(socket), await ReceiveAsync(socket) };
        Assert.Contains(first, m => m.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.String);

        _dev.Chain.SendStrayReplies(1);
        Assert.Equal(900_000_000, (await ReceiveAsync(socket)).GetProperty("id").GetInt64());
        _dev.Chain.Flood(2, 1_454_914, 0);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("0x163342", (await ReceiveAsync(socket)).GetProperty("params").GetProperty("result").GetProperty("number").GetString());
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 20];
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cts.Token);
            count += result.Count;
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
            }
        }
    }
}
