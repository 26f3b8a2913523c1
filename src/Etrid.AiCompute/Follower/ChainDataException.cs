namespace Etrid.AiCompute.Follower;

/// <summary>The node's data is not plausible (a size or count beyond the exporter's bounds); the message names the item and the value.</summary>
public sealed class ChainDataException : Exception
{
    public ChainDataException(string message)
        : base(message)
    {
    }
}
