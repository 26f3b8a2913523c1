namespace Etrid.Scaling.Keda;

/// <summary>A ScaledObject's trigger metadata that cannot be used; answered as gRPC INVALID_ARGUMENT.</summary>
public sealed class ScalerMetadataException : ArgumentException
{
    public ScalerMetadataException()
    {
    }

    public ScalerMetadataException(string message)
        : base(message)
    {
    }

    public ScalerMetadataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
