using System.Text.Json;
using Etrid.Substrate.Rpc;
using Etrid.Substrate.Storage;
using Etrid.Tests.Shared;

namespace Etrid.Substrate.Tests.Rpc;

/// <summary><see cref="StorageKeys"/>: a <c>state_getKeysPaged</c> answer decoded from its bytes, by table and over a real WebSocket.</summary>
public sealed class StorageKeysTests : IAsyncLifetime
{
    private DevChainHarness _dev = null!;

    public async Task InitializeAsync() => _dev = await DevChainHarness.StartAsync();

    public async Task DisposeAsync() => await _dev.DisposeAsync();

    [Fact]
    public void Read_EachKeyAsBytes_InOrder()
    {
        var keys = JsonSerializer.Deserialize<StorageKeys>("""["0x0102","0x","\u0030xFF0a"]""")!;
        Assert.Equal(3, keys.Count);
        Assert.Equal(new byte[] { 1, 2 }, keys[0].ToArray());
        Assert.True(keys[1].IsEmpty);
        Assert.Equal(new byte[] { 255, 10 }, keys[2].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => keys[3].Length);
    }

    [Fact]
    public void Read_EmptyPage_HasNoKey() => Assert.Equal(0, JsonSerializer.Deserialize<StorageKeys>("[]")!.Count);

    [Theory]
    [InlineData("""{"keys":[]}""", "expected an array")]
    [InlineData("""["0x01",null]""", "not a string")]
    [InlineData("""["0x01",["0x02"]]""", "not a string")]
    [InlineData("""["0x012"]""", "odd number of digits")]
    [InlineData("""["0xgg"]""", "invalid hex digits in '0xgg'")]
    public void Read_MalformedPage_JsonExceptionNamingTheFault(string json, string fault)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StorageKeys>(json));
        Assert.Contains(fault, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeyPage_OverTheWire_PagesThroughEveryJobKey_AsTheChainHoldsThem()
    {
        await using var client = new SubstrateClient(new SubstrateClientOptions { Endpoints = [_dev.Url], WatchdogBlocks = 0, JitterSeed = 1 });
        var prefix = StorageKey.Prefix("JobMarketplace", "Jobs");
        var listed = new List<string>();
        string? start = null;
        while (true)
        {
            var page = await client.GetKeyPageAsync(prefix, 64, start, null, default);
            for (var i = 0; i < page.Count; i++)
            {
                listed.Add(Convert.ToHexStringLower(page[i]));
            }

            if (page.Count < 64)
            {
                break;
            }

            start = "0x" + listed[^1];
        }

        var expected = _dev.Chain.GroundTruth().Jobs
            .Select(job => Convert.ToHexStringLower(StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, BitConverter.GetBytes(job.Id))))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, listed);
    }
}
