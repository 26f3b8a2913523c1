using System.Numerics;
using Etrid.Substrate.Hashing;

namespace Etrid.Substrate.Ss58;

/// <summary>SS58 addresses: Base58 of <c>prefix ++ account ++ checksum</c> with 1- or 2-byte prefixes.</summary>
public static class Ss58Address
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly byte[] ChecksumPreimage = "SS58PRE"u8.ToArray();

    /// <summary>Encodes a 32-byte account id with the network prefix (0 to 16383, 46 and 47 reserved).</summary>
    public static string Encode(ReadOnlySpan<byte> accountId, ushort prefix)
    {
        if (accountId.Length != 32)
        {
            throw new ArgumentException($"account id must be 32 bytes, got {accountId.Length}", nameof(accountId));
        }

        if (prefix > 16383)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "SS58 prefix must be 0 to 16383");
        }

        Span<byte> prefixBytes = stackalloc byte[2];
        int prefixLength;
        if (prefix < 64)
        {
            prefixBytes[0] = (byte)prefix;
            prefixLength = 1;
        }
        else
        {
            prefixBytes[0] = (byte)(((prefix & 0xfc) >> 2) | 0x40);
            prefixBytes[1] = (byte)((prefix >> 8) | ((prefix & 3) << 6));
            prefixLength = 2;
        }

        var payload = new byte[prefixLength + 32 + 2];
        prefixBytes[..prefixLength].CopyTo(payload);
        accountId.CopyTo(payload.AsSpan(prefixLength));
        Checksum(payload.AsSpan(0, prefixLength + 32)).CopyTo(payload.AsSpan(prefixLength + 32));
        return Base58Encode(payload);
    }

    /// <summary>Decodes an address into its account id and network prefix, verifying the checksum.</summary>
    /// <exception cref="FormatException">Not Base58, a wrong length, a reserved prefix or a bad checksum.</exception>
    public static (byte[] AccountId, ushort Prefix) Decode(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var data = Base58Decode(address);
        if (data.Length == 0)
        {
            throw new FormatException("empty SS58 address");
        }

        int prefixLength;
        ushort prefix;
        if (data[0] < 64)
        {
            prefixLength = 1;
            prefix = data[0];
        }
        else if (data[0] < 128)
        {
            if (data.Length < 2)
            {
                throw new FormatException($"SS58 address '{address}' is too short");
            }

            prefixLength = 2;
            var lower = (byte)((data[0] << 2) | (data[1] >> 6));
            var upper = (byte)(data[1] & 0x3f);
            prefix = (ushort)(lower | (upper << 8));
        }
        else
        {
            throw new FormatException($"SS58 address '{address}' has a reserved prefix byte 0x{data[0]:x2}");
        }

        if (data.Length != prefixLength + 32 + 2)
        {
            throw new FormatException(
                $"SS58 address '{address}' decodes to {data.Length} bytes; a 32-byte account needs {prefixLength + 34}");
        }

        var body = data.AsSpan(0, prefixLength + 32);
        var expected = Checksum(body);
        if (!expected.SequenceEqual(data.AsSpan(prefixLength + 32)))
        {
            throw new FormatException($"SS58 address '{address}' has a bad checksum");
        }

        return (data.AsSpan(prefixLength, 32).ToArray(), prefix);
    }

    private static byte[] Checksum(ReadOnlySpan<byte> body)
    {
        var preimage = new byte[ChecksumPreimage.Length + body.Length];
        ChecksumPreimage.CopyTo(preimage, 0);
        body.CopyTo(preimage.AsSpan(ChecksumPreimage.Length));
        return Blake2b.Hash(preimage, 64)[..2];
    }

    private static string Base58Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>(data.Length * 138 / 100 + 1);
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            chars.Add(Alphabet[(int)remainder]);
        }

        chars.AddRange(Enumerable.Repeat('1', zeros));
        chars.Reverse();
        return new string(chars.ToArray());
    }

    private static byte[] Base58Decode(string text)
    {
        BigInteger value = 0;
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                throw new FormatException($"'{c}' is not a Base58 character in SS58 address '{text}'");
            }

            value = value * 58 + digit;
        }

        var zeros = text.TakeWhile(c => c == '1').Count();
        var bytes = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[zeros + bytes.Length];
        bytes.CopyTo(result, zeros);
        return result;
    }
}
