namespace Etrid.Mithril.Errors;

/// <summary>The API could not be reached in time: retries exhausted on timeouts or transport errors, or the circuit is open.</summary>
public class MithrilUnavailableException : MithrilException
{
    public MithrilUnavailableException()
    {
    }

    public MithrilUnavailableException(string message)
        : base(message)
    {
    }

    public MithrilUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the call was refused locally because the circuit breaker is open.</summary>
    public bool CircuitOpen { get; init; }

    /// <summary>True when the request may have reached the server (its effect is unknown).</summary>
    public bool MayHaveBeenSent { get; init; }
}
