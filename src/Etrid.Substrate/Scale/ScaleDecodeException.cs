namespace Etrid.Substrate.Scale;

/// <summary>
/// Input bytes are not valid SCALE for the type being read. Carries the byte offset and, where
/// known, what was being decoded, so a bad storage value can be traced to its key and type.
/// </summary>
public sealed class ScaleDecodeException : FormatException
{
    public ScaleDecodeException(string message, int offset, string? context = null)
        : base(context is null ? $"{message} (at byte {offset})" : $"{message} (at byte {offset}, while decoding {context})")
    {
        Offset = offset;
        Context = context;
    }

    public ScaleDecodeException(string message, int offset, string context, Exception inner)
        : base($"{message} (at byte {offset}, while decoding {context})", inner)
    {
        Offset = offset;
        Context = context;
    }

    public ScaleDecodeException()
    {
    }

    public ScaleDecodeException(string message) : base(message)
    {
    }

    public ScaleDecodeException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Byte offset in the input where decoding failed.</summary>
    public int Offset { get; }

    /// <summary>What was being decoded (a type path or a storage item), if known.</summary>
    public string? Context { get; }
}
