namespace Etrid.Burst.Market;

/// <summary>A market call failed (refused, unavailable, or an answer that cannot be used); the message says why, never a secret.</summary>
public class CapacityMarketException : Exception
{
    public CapacityMarketException()
    {
    }

    public CapacityMarketException(string message)
        : base(message)
    {
    }

    public CapacityMarketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
