namespace Etrid.Substrate;

/// <summary>0x-prefixed lowercase hex, the byte format of Substrate JSON-RPC.</summary>
public static class Hex
{
    /// <summary>Encodes bytes as <c>0x</c> followed by lowercase hex.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        // One string, written in place: a cold sync encodes 100,000s of keys.
        string.Create(2 + (2 * bytes.Length), bytes, static (text, source) =>
        {
            text[0] = '0';
            text[1] = 'x';
            Convert.TryToHexStringLower(source, text[2..], out _);
        });

    /// <summary>Decodes hex with or without a <c>0x</c> prefix; whitespace around it is ignored.</summary>
    /// <exception cref="FormatException">The text is not an even number of hex digits.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var span = hex.AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }

        if (span.Length % 2 != 0)
        {
            throw new FormatException($"hex string has an odd number of digits ({span.Length})");
        }

        try
        {
            return Convert.FromHexString(span);
        }
        catch (FormatException e)
        {
            var preview = span.Length > 16 ? string.Concat(span[..16], "…") : span.ToString();
            throw new FormatException($"invalid hex digits in '0x{preview}'", e);
        }
    }

    /// <summary>
    /// The hex digits of UTF-8 text, as <see cref="Decode"/> takes them: without a <c>0x</c> prefix and the whitespace
    /// around it. For decoding straight from a JSON answer's bytes.
    /// </summary>
    /// <exception cref="FormatException">The text has an odd number of digits.</exception>
    public static ReadOnlySpan<byte> Digits(ReadOnlySpan<byte> utf8)
    {
        var span = utf8[System.Text.Ascii.Trim(utf8)];
        if (span.Length >= 2 && span[0] == (byte)'0' && (span[1] | 0x20) == (byte)'x')
        {
            span = span[2..];
        }

        return span.Length % 2 == 0 ? span : throw new FormatException($"hex string has an odd number of digits ({span.Length})");
    }

    /// <summary>The message <see cref="Decode"/> gives for digits that are not hex, from UTF-8 digits.</summary>
    public static string InvalidDigitsMessage(ReadOnlySpan<byte> digits)
    {
        var preview = System.Text.Encoding.UTF8.GetString(digits[..Math.Min(digits.Length, 16)]);
        return $"invalid hex digits in '0x{preview}{(digits.Length > 16 ? "…" : string.Empty)}'";
    }
}
