namespace Etrid.Substrate.Metadata;

/// <summary>Metadata is malformed, of an unsupported version, or lacks something a reader needs.</summary>
public sealed class MetadataException : Exception
{
    public MetadataException()
    {
    }

    public MetadataException(string message) : base(message)
    {
    }

    public MetadataException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
