using System.Buffers.Binary;
using System.IO.Hashing;

namespace Etrid.Substrate.Hashing;

/// <summary>
/// Substrate's xxHash64-based hashers. Each 64-bit lane is written little-endian: the big-endian
/// bytes that <c>XxHash64.Hash</c> returns give wrong storage keys.
/// </summary>
public static class Twox
{
    /// <summary>twox64: xxh64 with seed 0, little-endian (8 bytes).</summary>
    public static void Hash64(ReadOnlySpan<byte> input, Span<byte> output) => Lanes(input, output, 1);

    /// <summary>twox128: xxh64 seeds 0 and 1, each little-endian (16 bytes).</summary>
    public static void Hash128(ReadOnlySpan<byte> input, Span<byte> output) => Lanes(input, output, 2);

    /// <summary>twox256: xxh64 seeds 0 to 3, each little-endian (32 bytes).</summary>
    public static void Hash256(ReadOnlySpan<byte> input, Span<byte> output) => Lanes(input, output, 4);

    /// <summary>twox128 of a UTF-8 name, as used for pallet and storage item prefixes.</summary>
    public static byte[] Hash128(string name)
    {
        var output = new byte[16];
        Hash128(System.Text.Encoding.UTF8.GetBytes(name), output);
        return output;
    }

    private static void Lanes(ReadOnlySpan<byte> input, Span<byte> output, int lanes)
    {
        if (output.Length < lanes * 8)
        {
            throw new ArgumentException($"output needs {lanes * 8} bytes", nameof(output));
        }

        for (var seed = 0; seed < lanes; seed++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output[(seed * 8)..], XxHash64.HashToUInt64(input, seed));
        }
    }
}
