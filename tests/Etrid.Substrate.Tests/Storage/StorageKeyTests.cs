using Etrid.Substrate.Storage;

namespace Etrid.Substrate.Tests.Storage;

public class StorageKeyTests
{
    [Theory]
    [InlineData("JobMarketplace", "Jobs", "9791758b59190270b867d0da3985b3cb1c88f06ceab6c17559377f12624f77d8")]
    [InlineData("JobMarketplace", "NextJobId", "9791758b59190270b867d0da3985b3cb89d2615a6c039ab69295c7ae0d7359fd")]
    [InlineData("JobMarketplace", "UserJobs", "9791758b59190270b867d0da3985b3cb5140497d25331917e7448473feba795b")]
    [InlineData("JobMarketplace", "GpuJobs", "9791758b59190270b867d0da3985b3cbdd4b1c6e1d2f925549462662efd1e5d9")]
    [InlineData("JobMarketplace", "PendingJobs", "9791758b59190270b867d0da3985b3cba65f88359e61f05e186bd164843cf856")]
    [InlineData("JobMarketplace", "TotalJobs", "9791758b59190270b867d0da3985b3cb415cb2771b8b1a7550c58e134861e814")]
    [InlineData("JobMarketplace", "TotalVolume", "9791758b59190270b867d0da3985b3cbc79f9fa6bc57d11ce3e0c55a802256a0")]
    [InlineData("GpuRegistry", "GpuNodes", "4a4e2b5c92857af35247ea9b7b5bfd1ea1e7180e407131aac0451ce52a166447")]
    [InlineData("GpuRegistry", "NextGpuId", "4a4e2b5c92857af35247ea9b7b5bfd1ee06f1c091cf4726b59f1de238647a86d")]
    [InlineData("GpuRegistry", "ProviderGpus", "4a4e2b5c92857af35247ea9b7b5bfd1e0ba939cfd8e51b7da21674015af3b101")]
    [InlineData("GpuRegistry", "ActiveGpuCount", "4a4e2b5c92857af35247ea9b7b5bfd1e496772ca068b257c5ca117b2e2633a3d")]
    [InlineData("System", "Events", "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7")]
    [InlineData("System", "Account", "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9")]
    [InlineData("System", "Number", "26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac")]
    [InlineData("Timestamp", "Now", "f0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb")]
    [InlineData("Balances", "TotalIssuance", "c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80")]
    public void Prefix_SpecTable(string pallet, string item, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(StorageKey.Prefix(pallet, item)));
    }

    [Fact]
    public void MapKey_Jobs1_MatchesWorkedExample()
    {
        var key = StorageKey.MapKey("JobMarketplace", "Jobs", StorageHasher.Blake2_128Concat, Convert.FromHexString("0100000000000000"));
        Assert.Equal(
            "9791758b59190270b867d0da3985b3cb1c88f06ceab6c17559377f12624f77d89ea2d098b5f70192f96c06f38d3fbc970100000000000000",
            Convert.ToHexStringLower(key));
        Assert.Equal(56, key.Length);
    }

    [Fact]
    public void MapKey_SystemAccountAlice_MatchesSpec()
    {
        var alice = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        var key = StorageKey.MapKey("System", "Account", StorageHasher.Blake2_128Concat, alice);
        Assert.Equal("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59f" + Convert.ToHexStringLower(alice), Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Twox64Concat_U32Zero_MatchesSpec()
    {
        Assert.Equal("b4def25cfda6ef3a00000000", Convert.ToHexStringLower(StorageHasher.Twox64Concat.Hash(new byte[4])));
    }

    [Theory]
    [InlineData(StorageHasher.Blake2_128Concat, 16)]
    [InlineData(StorageHasher.Twox64Concat, 8)]
    [InlineData(StorageHasher.Identity, 0)]
    public void ExtractKey_ReversibleHasher_ReturnsEncodedKey(StorageHasher hasher, int hashLength)
    {
        var encoded = Convert.FromHexString("2a00000000000000");
        var full = StorageKey.MapKey(StorageKey.Prefix("JobMarketplace", "Jobs"), hasher, encoded);
        Assert.Equal(32 + hashLength + 8, full.Length);
        Assert.Equal(encoded, StorageKey.ExtractKey(full, hasher).ToArray());
    }

    [Theory]
    [InlineData(StorageHasher.Blake2_128)]
    [InlineData(StorageHasher.Blake2_256)]
    [InlineData(StorageHasher.Twox128)]
    [InlineData(StorageHasher.Twox256)]
    public void ExtractKey_OpaqueHasher_Throws(StorageHasher hasher)
    {
        Assert.Throws<ArgumentException>(() => StorageKey.ExtractKey(new byte[64], hasher).ToArray());
    }

    [Fact]
    public void ExtractKey_KeyShorterThanPrefixAndHash_ThrowsNamingSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => StorageKey.ExtractKey(new byte[40], StorageHasher.Blake2_128Concat).ToArray());
        Assert.Contains("40 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapKey_DoubleMap_ConcatenatesHashedParts()
    {
        var prefix = StorageKey.Prefix("Staking", "ErasStakers");
        var key = StorageKey.MapKey(prefix, [(StorageHasher.Twox64Concat, new byte[4]), (StorageHasher.Identity, [7])]);
        Assert.Equal(Convert.ToHexStringLower(prefix) + "b4def25cfda6ef3a00000000" + "07", Convert.ToHexStringLower(key));
    }
}
