using Etrid.Substrate.Metadata;

namespace Etrid.Substrate.Tests.Fixtures;

/// <summary>Real runtime metadata captured from public chains (copied from the shared fixtures).</summary>
internal static class MetadataFixtures
{
    private static readonly Dictionary<string, Lazy<byte[]>> Bytes = new()
    {
        ["substrate-v14"] = Load("substrate-v14"),
        ["substrate-v15"] = Load("substrate-v15"),
        ["kusama-v15"] = Load("kusama-v15"),
    };

    private static readonly Dictionary<string, Lazy<RuntimeMetadata>> Parsed = Bytes.ToDictionary(p => p.Key, p => new Lazy<RuntimeMetadata>(() => MetadataParser.Parse(p.Value.Value)));

    public static byte[] Raw(string name) => Bytes[name].Value;

    public static RuntimeMetadata Get(string name) => Parsed[name].Value;

    private static Lazy<byte[]> Load(string name) => new(() =>
        Hex.Decode(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "metadata", name + ".hex"))));
}
