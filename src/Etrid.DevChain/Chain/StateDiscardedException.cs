namespace Etrid.DevChain.Chain;

/// <summary>A read at a block whose state is older than the kept history.</summary>
public sealed class StateDiscardedException : Exception
{
    public StateDiscardedException()
    {
    }

    public StateDiscardedException(string message) : base(message)
    {
    }

    public StateDiscardedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
