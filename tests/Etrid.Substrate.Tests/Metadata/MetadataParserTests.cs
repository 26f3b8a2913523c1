using System.Numerics;
using Etrid.Substrate.Metadata;
using Etrid.Substrate.Scale;
using Etrid.Substrate.Storage;
using Etrid.Substrate.Tests.Fixtures;
using Etrid.Substrate.Values;

namespace Etrid.Substrate.Tests.Metadata;

public class MetadataParserTests
{
    [Theory]
    [InlineData("substrate-v14", 14, 945, 80)]
    [InlineData("substrate-v15", 15, 1128, 85)]
    [InlineData("kusama-v15", 15, 1160, 65)]
    public void Parse_Fixture_HasExpectedVersionTypesAndPallets(string fixture, int version, int types, int pallets)
    {
        var metadata = MetadataFixtures.Get(fixture);
        Assert.Equal(version, metadata.Version);
        Assert.Equal(types, metadata.Types.Types.Count);
        Assert.Equal(pallets, metadata.Pallets.Count);
        Assert.Equal(Enumerable.Range(0, types).Select(i => (uint)i), metadata.Types.Types.Select(t => t.Id));
    }

    [Theory]
    [InlineData("substrate-v14", 595_779)]
    [InlineData("substrate-v15", 685_069)]
    [InlineData("kusama-v15", 507_938)]
    public void Fixture_ByteLength_MatchesSpec(string fixture, int length)
    {
        Assert.Equal(length, MetadataFixtures.Raw(fixture).Length);
    }

    [Theory]
    [InlineData("substrate-v14")]
    [InlineData("substrate-v15")]
    public void Substrate_PalletOrderAndIndices(string fixture)
    {
        var pallets = MetadataFixtures.Get(fixture).Pallets;
        Assert.Equal(["System:0", "Utility:1", "Babe:2", "Timestamp:3"], pallets.Take(4).Select(p => $"{p.Name}:{p.Index}"));
        Assert.Equal(6, pallets.Single(p => p.Name == "Balances").Index);
    }

    [Fact]
    public void SubstrateV15_LastPalletAndApis()
    {
        var metadata = MetadataFixtures.Get("substrate-v15");
        Assert.Equal("MetaTx:89", $"{metadata.Pallets[^1].Name}:{metadata.Pallets[^1].Index}");
        Assert.Equal(26, metadata.Apis.Count);
        Assert.NotNull(metadata.OuterEnums);
    }

    [Fact]
    public void Kusama_PalletsApisAndBitSequence()
    {
        var metadata = MetadataFixtures.Get("kusama-v15");
        Assert.Equal(["System:0", "Babe:1", "Timestamp:2", "Indices:3", "Balances:4", "TransactionPayment:33"], metadata.Pallets.Take(6).Select(p => $"{p.Name}:{p.Index}"));
        Assert.Equal("RcMigrator:255", $"{metadata.Pallets[^1].Name}:{metadata.Pallets[^1].Index}");
        Assert.Equal(23, metadata.Apis.Count);
        Assert.Single(metadata.Types.Types, t => t.Def is BitSequenceTypeDef);
    }

    [Theory]
    [InlineData("substrate-v14")]
    [InlineData("substrate-v15")]
    [InlineData("kusama-v15")]
    public void SystemStorage_EntriesMatchSpec(string fixture)
    {
        var metadata = MetadataFixtures.Get(fixture);
        var system = metadata.FindPallet("System")!;
        var account = system.FindStorage("Account")!;
        Assert.Equal(StorageEntryModifier.Default, account.Modifier);
        Assert.Equal([StorageHasher.Blake2_128Concat], account.Hashers);
        Assert.Equal(0u, account.KeyType);
        Assert.Equal("sp_core::crypto::AccountId32", metadata.Types.Resolve(0).PathString);
        Assert.Equal(3u, account.ValueType);
        Assert.Equal("frame_system::AccountInfo", metadata.Types.Resolve(3).PathString);
        Assert.Equal(4u, system.FindStorage("Number")!.ValueType);
        Assert.Equal(new PrimitiveTypeDef(PrimitiveType.U32), metadata.Types.Resolve(4).Def);
        var blockHash = system.FindStorage("BlockHash")!;
        Assert.Equal([StorageHasher.Twox64Concat], blockHash.Hashers);
        Assert.Equal((4u, 13u), (blockHash.KeyType!.Value, blockHash.ValueType));
        Assert.Equal(19u, system.FindStorage("Events")!.ValueType);
        Assert.Equal(new SequenceTypeDef(20), metadata.Types.Resolve(19).Def);
        Assert.Equal("frame_system::EventRecord", metadata.Types.Resolve(20).PathString);
        Assert.Equal(12u, metadata.FindPallet("Timestamp")!.FindStorage("Now")!.ValueType);
        Assert.Equal(6u, metadata.FindPallet("Balances")!.FindStorage("TotalIssuance")!.ValueType);
    }

    [Theory]
    [InlineData("substrate-v14", 42, "100000000000000", 1500, "node", 268)]
    [InlineData("substrate-v15", 42, "100000000000000", 1500, "node", 268)]
    [InlineData("kusama-v15", 2, "333333333", 3000, "kusama", 1009002)]
    public void Constants_DecodeThroughTheRegistry(string fixture, int ss58, string existentialDeposit, int minimumPeriod, string specName, int specVersion)
    {
        var metadata = MetadataFixtures.Get(fixture);
        var decoder = new DynamicDecoder(metadata.Types);
        ScaleValue Constant(string pallet, string name)
        {
            var c = metadata.FindPallet(pallet)!.FindConstant(name)!;
            return decoder.Decode(c.Value, c.Type);
        }

        Assert.Equal(ss58, (int)Constant("System", "SS58Prefix").Integer());
        Assert.Equal(BigInteger.Parse(existentialDeposit, System.Globalization.CultureInfo.InvariantCulture), Constant("Balances", "ExistentialDeposit").Integer());
        Assert.Equal(minimumPeriod, (int)Constant("Timestamp", "MinimumPeriod").Integer());
        var version = Constant("System", "Version");
        Assert.Equal(specName, version.Field("spec_name").AsText());
        Assert.Equal(specVersion, (int)version.Field("spec_version").Integer());
    }

    [Fact]
    public void SubstrateV14_ExtrinsicFormat()
    {
        var extrinsic = MetadataFixtures.Get("substrate-v14").Extrinsic;
        Assert.Equal(4, extrinsic.Version);
        Assert.Equal(9, extrinsic.SignedExtensions.Count);
    }

    [Theory]
    [InlineData("substrate-v14")]
    [InlineData("substrate-v15")]
    [InlineData("kusama-v15")]
    public void AccountInfo_SpecVector_DecodesByFieldName(string fixture)
    {
        var bytes = Convert.FromHexString(
            "00000000" + "00000000" + "01000000" + "00000000" + "000064a7b3b6e00d0000000000000000" +
            new string('0', 64) + "00000000000000000000000000000080");
        var value = new DynamicDecoder(MetadataFixtures.Get(fixture).Types).Decode(bytes, 3);
        Assert.Equal(1, (int)value.Field("providers").Integer());
        Assert.Equal(BigInteger.Pow(10, 18), value.Field("data").Field("free").Integer());
        Assert.Equal(BigInteger.Pow(2, 127), value.Field("data").Field("flags").Integer());
    }

    [Fact]
    public void WriteV14_ThenParse_ReproducesTheFixtureBytes()
    {
        var raw = MetadataFixtures.Raw("substrate-v14");
        Assert.Equal(raw, MetadataWriter.Write(MetadataFixtures.Get("substrate-v14")));
    }

    [Theory]
    [InlineData("substrate-v15")]
    [InlineData("kusama-v15")]
    public void WriteV15_ReproducesTheInnerBytes(string fixture)
    {
        // V15 fixtures keep the Option<OpaqueMetadata> wrapper: 01 ++ Compact(len) ++ metadata.
        var reader = new ScaleReader(MetadataFixtures.Raw(fixture));
        Assert.True(reader.ReadOptionTag());
        var inner = reader.ReadByteVector().ToArray();
        Assert.Equal(inner, MetadataWriter.Write(MetadataFixtures.Get(fixture)));
    }

    [Fact]
    public void Parse_Version16_IsRejectedByName()
    {
        var e = Assert.Throws<MetadataException>(() => MetadataParser.Parse([0x6d, 0x65, 0x74, 0x61, 16]));
        Assert.Contains("version 16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionNone_SaysUnavailable()
    {
        var e = Assert.Throws<MetadataException>(() => MetadataParser.Parse([0]));
        Assert.Contains("not available", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Truncated_ThrowsMetadataException()
    {
        var raw = MetadataFixtures.Raw("substrate-v14");
        Assert.Throws<MetadataException>(() => MetadataParser.Parse(raw.AsSpan(0, raw.Length / 2)));
    }

    [Fact]
    public void Parse_TrailingByte_ThrowsMetadataException()
    {
        var raw = MetadataFixtures.Raw("substrate-v14");
        var e = Assert.Throws<MetadataException>(() => MetadataParser.Parse([.. raw, 0]));
        Assert.Contains("trailing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CorruptedBytes_OnlyEverThrowsMetadataException()
    {
        var raw = MetadataFixtures.Raw("kusama-v15");
        var random = new Random(11);
        for (var i = 0; i < 60; i++)
        {
            var copy = (byte[])raw.Clone();
            for (var j = 0; j < 4; j++)
            {
                copy[random.Next(5, 40_000)] = (byte)random.Next(256);
            }

            try
            {
                MetadataParser.Parse(copy.AsSpan(0, random.Next(10, copy.Length + 1)));
            }
            catch (MetadataException)
            {
                // The only failure allowed.
            }
        }
    }
}
