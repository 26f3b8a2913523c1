using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Etrid.Substrate.Hashing;

/// <summary>
/// Unkeyed BLAKE2b (RFC 7693) with any output length from 1 to 64 bytes. Substrate's blake2b-128 is
/// BLAKE2b with a 16-byte output length, which differs from truncating the 64-byte digest; the
/// common .NET packages either refuse short outputs or need initialising, so the project has its own.
/// </summary>
public static class Blake2b
{
    private static readonly ulong[] IV =
    [
        0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL,
        0x510e527fade682d1UL, 0x9b05688c2b3e6c1fUL, 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL,
    ];

    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    ];

    /// <summary>Hashes <paramref name="input"/> into <paramref name="output"/>, whose length (1–64) is the digest size.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var outLength = output.Length;
        if (outLength is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(output), outLength, "BLAKE2b output must be 1 to 64 bytes");
        }

        Span<ulong> h = stackalloc ulong[8];
        IV.CopyTo(h);
        h[0] ^= 0x01010000UL ^ (ulong)outLength;

        Span<ulong> m = stackalloc ulong[16];
        UInt128 counter = 0;
        var offset = 0;

        // All blocks but the last are compressed as non-final; the last (possibly empty, zero-padded) is final.
        while (input.Length - offset > 128)
        {
            counter += 128;
            LoadBlock(input.Slice(offset, 128), m);
            Compress(h, m, counter, final: false);
            offset += 128;
        }

        Span<byte> last = stackalloc byte[128];
        last.Clear();
        var rest = input.Length - offset;
        input.Slice(offset, rest).CopyTo(last);
        counter += (ulong)rest;
        LoadBlock(last, m);
        Compress(h, m, counter, final: true);

        Span<byte> full = stackalloc byte[64];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(full[(i * 8)..], h[i]);
        }

        full[..outLength].CopyTo(output);
    }

    /// <summary>Returns the BLAKE2b digest of <paramref name="input"/> with <paramref name="outputBytes"/> bytes.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> input, int outputBytes)
    {
        var output = new byte[outputBytes];
        Hash(input, output);
        return output;
    }

    private static void LoadBlock(ReadOnlySpan<byte> block, Span<ulong> m)
    {
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }
    }

    // The working vector lives in sixteen locals rather than a span: indexed G calls on a span cost bounds checks and
    // memory round trips on every step, which made hashing a storage key the largest part of a cold sync's CPU.
    private static void Compress(Span<ulong> h, ReadOnlySpan<ulong> m, UInt128 counter, bool final)
    {
        ulong v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        ulong v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        var v12 = IV[4] ^ (ulong)counter;
        var v13 = IV[5] ^ (ulong)(counter >> 64);
        var v14 = final ? ~IV[6] : IV[6];
        var v15 = IV[7];
        for (var round = 0; round < 12; round++)
        {
            var s = Sigma.Slice(round * 16, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
