namespace Etrid.Substrate;

/// <summary>0x-prefixed lowercase hex, the byte format of Substrate JSON-RPC.</summary>
public static class Hex
{
    /// <summary>Encodes bytes as <c>0x</c> followed by lowercase hex.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

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
}
