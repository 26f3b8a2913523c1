using Etrid.Substrate;
using Etrid.Substrate.Hashing;

namespace Etrid.DevChain.Runtime;

/// <summary>Deterministic accounts of the dev chain: the well-known Alice and Bob, then derived users and providers.</summary>
public static class DevAccounts
{
    public static byte[] Alice { get; } = Hex.Decode("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");

    public static byte[] Bob { get; } = Hex.Decode("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48");

    /// <summary>The n-th job submitter; user 0 is Alice.</summary>
    public static byte[] User(int n) => n == 0 ? Alice : Derive("user", n);

    /// <summary>The n-th GPU provider; provider 0 is Bob.</summary>
    public static byte[] Provider(int n) => n == 0 ? Bob : Derive("provider", n);

    /// <summary>A provider known by name (e.g. the dev market's burst capacity), distinct from the numbered ones.</summary>
    public static byte[] NamedProvider(string name) =>
        Blake2b.Hash(System.Text.Encoding.UTF8.GetBytes($"etrid-devchain/named-provider/{name}"), 32);

    private static byte[] Derive(string role, int n) =>
        Blake2b.Hash(System.Text.Encoding.UTF8.GetBytes($"etrid-devchain/{role}/{n}"), 32);
}
