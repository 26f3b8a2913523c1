using System.Text.Json;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Storage;
using Etrid.Tests.Shared;

namespace Etrid.Substrate.Tests.Rpc;

/// <summary><see cref="StorageValues"/>: a <c>state_queryStorageAt</c> answer decoded from its bytes, by table and over a real WebSocket.</summary>
public sealed class StorageValuesTests : IAsyncLifetime
{
    private DevChainHarness _dev = null!;

    public async Task InitializeAsync() => _dev = await DevChainHarness.StartAsync();

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    [Fact]
    public void Read_KeysAndValuesAsBytes_NullAsNoValue()
    {
        var values = JsonSerializer.Deserialize<StorageValues>("""[{"block":"0xab","changes":[["0x0102","0x0a0b0c"],["0x03",null],["0x04","0x"]]}]""")!;
        Assert.Equal("0xab", values.Block);
        Assert.Equal(3, values.Count);
        Assert.Equal(new byte[] { 1, 2 }, values.Key(0).ToArray());
        Assert.True(values.TryGetValue(0, out var first));
        Assert.Equal(new byte[] { 10, 11, 12 }, first.ToArray());
        Assert.Equal(new byte[] { 3 }, values.Key(1).ToArray());
        Assert.False(values.TryGetValue(1, out _));
        Assert.True(values.TryGetValue(2, out var empty));
        Assert.True(empty.IsEmpty);
    }

    [Theory]
    [InlineData("""[]""", 0)]
    [InlineData("""[{"block":"0xab","changes":[]}]""", 0)]
    [InlineData("""[{"changes":[["0x01","0x02"]],"extra":{"a":[1,2]}},{"block":"0xcd","changes":[["0x03","0x04"]]}]""", 1)]
    public void Read_EmptyAnswers_UnknownFields_AndLaterChangeSetsSkipped(string json, int count) =>
        Assert.Equal(count, JsonSerializer.Deserialize<StorageValues>(json)!.Count);

    [Fact]
    public void Read_EscapedAndUpperCaseHex_DecodesAsPlainHex()
    {
        var values = JsonSerializer.Deserialize<StorageValues>("""[{"block":"0xab","changes":[["\u0030x0A0b"," 0XFF "]]}]""")!;
        Assert.Equal(new byte[] { 10, 11 }, values.Key(0).ToArray());
        Assert.True(values.TryGetValue(0, out var value));
        Assert.Equal(new byte[] { 255 }, value.ToArray());
    }

    [Fact]
    public void Read_ManyLongValues_GrowsTheBufferAndKeepsEveryEntry()
    {
        var changes = Enumerable.Range(0, 300).Select(i => $"""["0x{i:x4}","0x{new string((char)('a' + (i % 6)), 2 * (i + 1))}"]""");
        var values = JsonSerializer.Deserialize<StorageValues>($$"""[{"block":"0xab","changes":[{{string.Join(',', changes)}}]}]""")!;
        Assert.Equal(300, values.Count);
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(new[] { (byte)(i >> 8), (byte)i }, values.Key(i).ToArray());
            Assert.True(values.TryGetValue(i, out var value));
            Assert.Equal(i + 1, value.Length);
            Assert.All(value.ToArray(), b => Assert.Equal((byte)(0x11 * (10 + (i % 6))), b));
        }
    }

    [Theory]
    [InlineData("""{"block":"0xab","changes":[]}""", "expected an array")]
    [InlineData("""[1]""", "must be an object")]
    [InlineData("""[{"block":"0xab"}]""", "no 'changes' array")]
    [InlineData("""[{"changes":{}}]""", "no 'changes' array")]
    [InlineData("""[{"changes":[["0x01"]]}]""", "[key, value] pair")]
    [InlineData("""[{"changes":[["0x01","0x02","0x03"]]}]""", "[key, value] pair")]
    [InlineData("""[{"changes":[[1,"0x02"]]}]""", "[key, value] pair")]
    [InlineData("""[{"changes":[["0x01",2]]}]""", "[key, value] pair")]
    [InlineData("""[{"changes":[["0x012","0x02"]]}]""", "odd number of digits")]
    [InlineData("""[{"changes":[["0x01","0xzz"]]}]""", "invalid hex digits in '0xzz'")]
    public void Read_MalformedAnswer_JsonExceptionNamingTheFault(string json, string fault)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StorageValues>(json));
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryStorageValues_OverTheWire_GivesWhatTheChainHolds_InRequestOrder()
    {
        await using var client = NewClient();
        var at = _dev.Chain.Best;
        var keys = Enumerable.Range(0, 40)
            .Select(i => Hex.Encode(StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, BitConverter.GetBytes((ulong)(i * 7)))))
            .Append(Hex.Encode(StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, BitConverter.GetBytes(999_999UL))))
            .ToList();
        var values = await client.QueryStorageValuesAsync(keys, at.Hash, default);
        var expected = _dev.Chain.GetStorage(keys.Select(k => k[2..]).ToList(), at);
        Assert.Equal(at.Hash, values.Block);
        Assert.Equal(keys.Count, values.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(Convert.FromHexString(keys[i][2..]), values.Key(i).ToArray());
            Assert.Equal(expected[i] is not null, values.TryGetValue(i, out var value));
            Assert.Equal(expected[i] ?? [], value.ToArray());
        }

        Assert.Null(expected[^1]);
    }

    [Fact]
    public async Task AnswerOfAnotherShape_IsAMalformedResultNamingTheMethod_AndTheConnectionStays()
    {
        await using var client = NewClient();
        var prefix = Hex.Encode(StorageKey.Prefix("JobMarketplace", "Jobs"));
        var e = await Assert.ThrowsAsync<SubstrateRpcException>(() => client.RequestAsync<StorageValues>("state_getKeysPaged", [prefix, 4, null, null], default));
        Assert.Contains("state_getKeysPaged", e.Message, StringComparison.Ordinal);
        Assert.Contains("malformed result", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, (await client.GetKeysPagedAsync(StorageKey.Prefix("JobMarketplace", "Jobs"), 4, null, null, default)).Count);
        Assert.Equal(0, client.Reconnects);
    }

    private SubstrateClient NewClient() => new(new SubstrateClientOptions { Endpoints = [_dev.Url], WatchdogBlocks = 0, JitterSeed = 1 });
}
